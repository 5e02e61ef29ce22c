module.exports = { displayName: 'users', preset: '../../jest.preset.js', rootDir: __dirname };
