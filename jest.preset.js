// Shared Jest settings for every project: TypeScript through ts-jest (type-checking is the
// `typecheck` target's job, so tests only transpile), Node environment, and the path aliases
// of tsconfig.base.json resolved the same way the compiler and esbuild resolve them.
const { pathsToModuleNameMapper } = require('ts-jest');
const { compilerOptions } = require('./tsconfig.base.json');

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', diagnostics: false }],
    // jose is published as ES modules only; Jest's module system loads CommonJS.
    '/node_modules/jose/.+\\.js$': ['ts-jest', { tsconfig: { allowJs: true, module: 'commonjs', target: 'es2022' }, diagnostics: false }],
  },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: pathsToModuleNameMapper(compilerOptions.paths, { prefix: `${__dirname}/` }),
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  reporters: ['default', `${__dirname}/jest.engine-reporter.js`],
  clearMocks: true,
  testTimeout: 20000,
};
