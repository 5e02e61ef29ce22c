import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModuleKind, ScriptTarget, transpileModule } from 'typescript';

/**
 * Each start is a Node process of its own, as a task's is: V8 also keeps compiled scripts in memory,
 * so a second run in one process would never read the cache file. The processes run this module
 * transpiled as it is, with `runBundle`'s defaults (saved at exit).
 */
const bundleSource = (word: string) => `
const helper = require('./helper.js');
let calls = 0;
function later() { calls += 1; return '${word}-' + calls; }
module.exports = { file: __filename, dir: __dirname, helper, first: later() };
`;

describe('runBundle', () => {
  let dir: string;
  let bundle: string;
  let cacheFolder: string;
  const lib = () => join(dir, 'code-cache.js');
  const cacheFiles = () => readdirSync(cacheFolder).filter((f) => f.endsWith('.v8-code-cache'));
  type Start = { verdict: string; exports: Record<string, string> };
  const run = <T>(folder: string, report: string): T => {
    const driver = `const r = require(${JSON.stringify(lib())}).runBundle(${JSON.stringify(bundle)}); process.stdout.write(JSON.stringify(${report}));`;
    const out = execFileSync(process.execPath, ['-e', driver], { env: { PATH: process.env['PATH'], NODE_COMPILE_CACHE: folder }, encoding: 'utf8' });
    return JSON.parse(out) as T;
  };
  const start = (folder = cacheFolder) => run<Start>(folder, 'r');
  /** A start that also reports how many bytes of V8's heap large objects (a multi-megabyte string among them) take after the run. */
  const startMeasured = () =>
    run<Start & { largeObjectBytes: number }>(
      cacheFolder,
      "{ ...r, largeObjectBytes: require('node:v8').getHeapSpaceStatistics().find((s) => s.space_name === 'large_object_space').space_used_size }",
    );

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'forum-code-cache-'));
    bundle = join(dir, 'main.js');
    cacheFolder = join(dir, 'cache');
    const source = readFileSync(join(__dirname, 'code-cache.ts'), 'utf8');
    const options = { module: ModuleKind.CommonJS, target: ScriptTarget.ES2022, esModuleInterop: true };
    writeFileSync(lib(), transpileModule(source, { compilerOptions: options }).outputText);
    writeFileSync(join(dir, 'helper.js'), "module.exports = 'beside the bundle';");
    writeFileSync(bundle, bundleSource('alpha'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('when no cache folder is set, then it runs the bundle as require does and caches nothing', () => {
    expect(start('')).toEqual({ verdict: 'off', exports: { file: bundle, dir, helper: 'beside the bundle', first: 'alpha-1' } });
    expect(readdirSync(dir).sort()).toEqual(['code-cache.js', 'helper.js', 'main.js']);
  });

  it('when there is no cache yet, then the start writes one at exit and the next start takes it', () => {
    const first = start();
    expect(first).toEqual({ verdict: 'absent', exports: { file: bundle, dir, helper: 'beside the bundle', first: 'alpha-1' } });
    expect(cacheFiles()).toHaveLength(1);
    expect(start()).toEqual({ ...first, verdict: 'accepted' });
    // Written whole or not at all: no partial file is left beside it.
    expect(readdirSync(cacheFolder).filter((f) => f.startsWith('main.js'))).toEqual(cacheFiles());
  });

  it('when the bundle is rebuilt with the same length, then the old cache is not used for it', () => {
    start();
    writeFileSync(bundle, bundleSource('omega'));
    expect(start()).toMatchObject({ verdict: 'absent', exports: { first: 'omega-1' } });
    expect(cacheFiles()).toHaveLength(2);
    expect(start()).toMatchObject({ verdict: 'accepted', exports: { first: 'omega-1' } });
  });

  it('when V8 refuses the cache file, then the bundle still runs and the file is replaced at exit', () => {
    start();
    const [file] = cacheFiles();
    writeFileSync(join(cacheFolder, file ?? ''), 'not a code cache');
    expect(start()).toMatchObject({ verdict: 'rejected', exports: { first: 'alpha-1' } });
    expect(start()).toMatchObject({ verdict: 'accepted', exports: { first: 'alpha-1' } });
  });

  it('when the cache cannot be written, then the bundle runs and exits cleanly without one', () => {
    const unwritable = join(bundle, 'not-a-folder');
    expect(start(unwritable)).toMatchObject({ verdict: 'absent', exports: { first: 'alpha-1' } });
    expect(start(unwritable)).toMatchObject({ verdict: 'absent', exports: { first: 'alpha-1' } });
  });

  // About 3 MB of comment lines, as a service's bundle is mostly text V8 keeps for as long as it runs.
  const longComments = Array.from({ length: 30000 }, (_, i) => `// line ${i} of a long bundle ${'.'.repeat(70)}`).join('\n');

  it('when the bundle is ASCII, then its text takes about its length of V8 heap (one byte a character)', () => {
    writeFileSync(bundle, `${bundleSource('alpha')}${longComments}\n`);
    for (const verdict of ['absent', 'accepted']) {
      const measured = startMeasured();
      expect(measured).toMatchObject({ verdict, exports: { first: 'alpha-1' } });
      expect(measured.largeObjectBytes).toBeGreaterThan(longComments.length);
      expect(measured.largeObjectBytes).toBeLessThan(1.5 * longComments.length);
    }
  });

  it('when the bundle holds a character beyond Latin-1, then its strings are as written, its cache is used, and V8 keeps its text two bytes a character', () => {
    writeFileSync(bundle, `${bundleSource('alpha’s — é')}// the request’s origin\n${longComments}\n`);
    expect(start()).toMatchObject({ verdict: 'absent', exports: { first: 'alpha’s — é-1' } });
    const second = startMeasured();
    expect(second).toMatchObject({ verdict: 'accepted', exports: { first: 'alpha’s — é-1' } });
    expect(second.largeObjectBytes).toBeGreaterThan(2 * longComments.length);
  });
});
