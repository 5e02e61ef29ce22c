module.exports = { displayName: 'code-cache', preset: '../../jest.preset.js', rootDir: __dirname };
