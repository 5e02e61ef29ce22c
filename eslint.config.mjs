import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';

// Services never import each other; libraries never import a service; the test helpers
// (type:testing) are for tests only, and may build on one another.
const productionConstraints = [
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:lib', 'type:testing'] },
  { sourceTag: 'scope:users', onlyDependOnLibsWithTags: ['scope:users', 'scope:shared'] },
  { sourceTag: 'scope:threads', onlyDependOnLibsWithTags: ['scope:threads', 'scope:shared'] },
  { sourceTag: 'scope:posts', onlyDependOnLibsWithTags: ['scope:posts', 'scope:shared'] },
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
];
const testConstraints = productionConstraints.map((c) =>
  c.sourceTag.startsWith('type:') ? { ...c, onlyDependOnLibsWithTags: [...c.onlyDependOnLibsWithTags, 'type:testing'] } : c,
);
const boundaries = (depConstraints) => ({ enforceBuildableLibDependency: true, allow: [], depConstraints });

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  { ignores: ['**/dist', '**/node_modules', '**/coverage', '**/tmp', '.nx/**'] },
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': ['error', boundaries(productionConstraints)],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    // A service's environment is its config schema, read once by loadConfig; tests and tools may read theirs,
    // and the code cache reads Node's own NODE_COMPILE_CACHE before any service code runs.
    files: ['apps/*/src/**/*.ts', 'libs/*/src/**/*.ts'],
    ignores: ['**/*.spec.ts', 'apps/e2e/**', 'libs/testing/**', 'libs/config/src/load-config.ts', 'libs/code-cache/src/code-cache.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read the environment through the service config (@forum/config).' },
      ],
    },
  },
  {
    // HTTP stays at the edge: only routes (and their OpenAPI descriptions), app wiring and process code of a service, and the HTTP
    // lib itself, speak Koa; services, repositories and every other lib take domain input and
    // throw domain errors.
    files: ['apps/{users,threads,posts}/src/**/*.ts', 'libs/*/src/**/*.ts'],
    ignores: [
      '**/*.spec.ts',
      '**/*.routes.ts',
      '**/*.openapi.ts',
      'apps/*/src/openapi.ts',
      'apps/*/src/app.ts',
      'apps/*/src/main.ts',
      'libs/http/**',
      'libs/testing/**',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['koa', 'koa-*', '@koa/*', '@forum/http'],
              message: 'HTTP belongs to the routes and the app wiring: take domain input, throw AppError.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', '**/test/**/*.ts', 'apps/e2e/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': ['error', boundaries(testConstraints)],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  // Layout is Prettier's (npm run format); lint rules that would argue with it are off.
  prettier,
];
