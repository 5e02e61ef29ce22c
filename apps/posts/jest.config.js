module.exports = { displayName: 'posts', preset: '../../jest.preset.js', rootDir: __dirname };
