import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { build } from 'esbuild';
import options, { asciiComments } from './esbuild.config';

const notAscii = /[\u0080-\uFFFF]/;

describe('asciiComments', () => {
  it('when comments hold characters beyond ASCII, then each UTF-16 unit becomes one ?, and the code and its literals stay as they are', () => {
    const script = ['// response’s type', "const s = 'x’y', t = `p—q`, r = /é’+/u; /* block — with 😀 */", 'f(a && /* inline’s */ b);'].join('\n');
    const ascii = asciiComments(script);
    expect(ascii).toBe(
      ['// response?s type', "const s = 'x’y', t = `p—q`, r = /é’+/u; /* block ? with ?? */", 'f(a && /* inline?s */ b);'].join('\n'),
    );
    expect(ascii.length).toBe(script.length);
  });

  it('when the text is ASCII already, then it is returned as it is', () => {
    const script = 'var a = 1; // plain\n';
    expect(asciiComments(script)).toBe(script);
  });

  it('when the text does not parse, then it throws instead of guessing where comments are', () => {
    expect(() => asciiComments('var a = ; // ’')).toThrow(SyntaxError);
  });
});

describe('the build options', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'forum-esbuild-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('when a bundled module keeps comments beyond ASCII, then the bundle written is ASCII and behaves the same', async () => {
    const entry = join(dir, 'entry.js');
    writeFileSync(
      entry,
      [
        'class Response {',
        '  // Returns response’s type, e.g., "cors".',
        "  get type() { return 'basic’s'; }",
        '}',
        'const both = (a, b) => a && // the request’s origin',
        '  b;',
        'module.exports = { type: new Response().type, both: both(1, 2), matches: /é’/u.test("é’") };',
      ].join('\n'),
    );
    // Paths relative to a working directory that is not the process's, as a workspace's build may have.
    const result = await build({
      ...options,
      absWorkingDir: dir,
      entryPoints: ['entry.js'],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      outfile: join('out', 'main.js'),
      sourcemap: true,
      logLevel: 'silent',
    });
    expect(result.warnings).toEqual([]);
    const bundle = readFileSync(join(dir, 'out', 'main.js'), 'utf8');
    expect(bundle).toContain('// Returns response?s type');
    expect(bundle).toContain('/é’/u'); // a literal esbuild leaves as written: not a comment, kept
    const module = { exports: {} as Record<string, unknown> };
    runInNewContext(bundle, { module, exports: module.exports });
    expect(module.exports).toEqual({ type: 'basic’s', both: 2, matches: true });
    expect(notAscii.test(bundle.replace('/é’/u', ''))).toBe(false);
  });
});
