import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { imageNodeOptions } from './run-local';

describe('the V8 flags the bench starts the services with', () => {
  it('when the Dockerfile sets NODE_OPTIONS, then the bench uses exactly those flags', () => {
    expect(imageNodeOptions('ENV NODE_ENV=production \\\n    NODE_OPTIONS="--max-old-space-size=192  --max-semi-space-size=8" \\\n')).toEqual([
      '--max-old-space-size=192',
      '--max-semi-space-size=8',
    ]);
  });

  it('when it reads the real Dockerfile, then it finds the heap limit there', () => {
    const dockerfile = readFileSync(resolve(__dirname, '../../../Dockerfile'), 'utf8');
    expect(imageNodeOptions(dockerfile)).toEqual(expect.arrayContaining([expect.stringMatching(/^--max-old-space-size=\d+$/)]));
  });

  it('when the Dockerfile sets none, then the bench refuses to guess', () => {
    expect(() => imageNodeOptions('FROM node:24-alpine\n')).toThrow('the Dockerfile sets no NODE_OPTIONS');
  });
});
