import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { imageRuntime } from './run-local';

describe('how the bench starts the services: as the image does', () => {
  it('when the Dockerfile sets NODE_OPTIONS, then the bench uses exactly those flags', () => {
    expect(imageRuntime('ENV NODE_ENV=production \\\n    NODE_OPTIONS="--max-old-space-size=192  --max-semi-space-size=8" \\\n').nodeOptions).toEqual(
      ['--max-old-space-size=192', '--max-semi-space-size=8'],
    );
  });

  it('when the Dockerfile sets a compile cache, then the bench starts the services from one, and not when it does not', () => {
    const env = 'ENV NODE_ENV=production \\\n    NODE_OPTIONS="--max-old-space-size=192" \\\n';
    expect(imageRuntime(`${env}    NODE_COMPILE_CACHE=/app/.compile-cache \\\n    PORT=3000\n`).compileCache).toBe(true);
    expect(imageRuntime(`${env}    PORT=3000\n`).compileCache).toBe(false);
  });

  it('when it reads the real Dockerfile, then it finds the heap limit and the compile cache there', () => {
    const image = imageRuntime(readFileSync(resolve(__dirname, '../../../Dockerfile'), 'utf8'));
    expect(image.nodeOptions).toEqual(expect.arrayContaining([expect.stringMatching(/^--max-old-space-size=\d+$/)]));
    expect(image.compileCache).toBe(true);
  });

  it("when the Dockerfile sets none (an older build), then the services run with Node's defaults, as that image did", () => {
    expect(imageRuntime('FROM node:24-alpine\n')).toEqual({ nodeOptions: [], compileCache: false });
  });
});
