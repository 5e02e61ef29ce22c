module.exports = { displayName: 'threads', preset: '../../jest.preset.js', rootDir: __dirname };
