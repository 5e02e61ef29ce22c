import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { imageRuntime } from './run-local';

describe('how the bench starts the services: as the image does', () => {
  it('when the Dockerfile sets NODE_OPTIONS, then the bench uses exactly those flags', () => {
    expect(imageRuntime('ENV NODE_ENV=production \\\n    NODE_OPTIONS="--max-old-space-size=192  --max-semi-space-size=8" \\\n').nodeOptions).toEqual(
      ['--max-old-space-size=192', '--max-semi-space-size=8'],
    );
  });

  it("when the Dockerfile sets glibc's malloc settings, then the bench gives the services exactly those, and nothing else of its environment", () => {
    const env = 'ENV NODE_ENV=production \\\n    MALLOC_MMAP_THRESHOLD_=131072 \\\n    PORT=3000\nENV MALLOC_ARENA_MAX=2\n';
    expect(imageRuntime(env).mallocEnv).toEqual({ MALLOC_MMAP_THRESHOLD_: '131072', MALLOC_ARENA_MAX: '2' });
    expect(imageRuntime('ENV NODE_ENV=production \\\n    PORT=3000\n').mallocEnv).toEqual({});
  });

  it('when the Dockerfile sets a compile cache, then the bench starts the services from one, and not when it does not', () => {
    const env = 'ENV NODE_ENV=production \\\n    NODE_OPTIONS="--max-old-space-size=192" \\\n';
    expect(imageRuntime(`${env}    NODE_COMPILE_CACHE=/app/.compile-cache \\\n    PORT=3000\n`).compileCache).toBe(true);
    expect(imageRuntime(`${env}    PORT=3000\n`).compileCache).toBe(false);
  });

  it("when the Dockerfile's CMD runs a file, then the bench runs that file, not the healthcheck's", () => {
    const healthcheck = 'HEALTHCHECK --interval=30s \\\n  CMD ["node", "-e", "fetch(1)"]\n';
    expect(imageRuntime(`${healthcheck}CMD ["node", "start.js"]\n`).entry).toBe('start.js');
    expect(imageRuntime(`CMD [ "node" , "main.js" ]\n${healthcheck}`).entry).toBe('main.js');
  });

  it('when it reads the real Dockerfile, then it finds the heap limit, the malloc threshold, the compile cache and the entry there', () => {
    const image = imageRuntime(readFileSync(resolve(__dirname, '../../../Dockerfile'), 'utf8'));
    expect(image.nodeOptions).toEqual(expect.arrayContaining([expect.stringMatching(/^--max-old-space-size=\d+$/)]));
    expect(image.mallocEnv).toEqual({ MALLOC_MMAP_THRESHOLD_: '4194304' });
    expect(image.compileCache).toBe(true);
    expect(image.entry).toBe('start.js');
  });

  it("when the Dockerfile sets none (an older build), then the services run with Node's defaults from the bundle, as that image did", () => {
    expect(imageRuntime('FROM node:24-alpine\n')).toEqual({ nodeOptions: [], mallocEnv: {}, compileCache: false, entry: 'main.js' });
  });
});
