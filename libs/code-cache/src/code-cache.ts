import { hash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { debuglog } from 'node:util';
import { Script, constants } from 'node:vm';

const debug = debuglog('code_cache');

/** What became of the bundle's code cache: none asked for, none yet, used, or refused by V8. */
export type CodeCacheVerdict = 'off' | 'absent' | 'accepted' | 'rejected';

/**
 * Runs a CommonJS bundle as `require` would, compiled from V8's code cache of it when Node's compile
 * cache is on (NODE_COMPILE_CACHE names its folder; the bundle's cache goes in the same folder).
 *
 * Node's own compile cache stores what V8 compiles of a file before running it: only the functions
 * it compiles eagerly. Every function first called during a start is compiled again at every start.
 * A cache V8 makes after the code has run (`createCachedData` on the compiled script) holds those as
 * well: 1.2 MB instead of 0.85-0.87 MB for a service's bundle, and a start on one core 12-21 ms
 * shorter (docs/performance.md, change 21).
 *
 * Made the way Node makes its own: read when present; when absent, or refused by V8 (another Node
 * or other V8 flags), written at exit, so the image's warm-up run (tools/scripts/warm-compile-cache.sh)
 * makes it and the read-only copy in a task is only read. The file is named by a hash of the bundle:
 * V8 itself checks only the source's length, so a rebuilt bundle must never meet the old cache.
 * `NODE_DEBUG=code_cache` prints the verdict and the writes.
 */
export function runBundle(file: string): { verdict: CodeCacheVerdict; exports: unknown } {
  const cacheFolder = process.env['NODE_COMPILE_CACHE'];
  const requireFromBundle = createRequire(file);
  if (!cacheFolder) return { verdict: 'off', exports: requireFromBundle(file) };
  const cacheFile = join(cacheFolder, `${basename(file)}-${hash('sha256', readFileSync(file)).slice(0, 32)}.v8-code-cache`);
  const cachedData = readIfPresent(cacheFile);
  // Read again as text rather than decoding the bytes above: a multi-megabyte Buffer#toString made
  // starts about 20 ms slower on one core (alternated starts), and hashing the text instead of the
  // bytes 2-4 ms slower (medians of 25 alternated starts, twice); reading the file twice costs less.
  // V8 keeps the wrapped text for as long as the script lives, one byte a character only if every
  // character is Latin-1: the build makes each bundle ASCII (tools/src/build/esbuild.config.ts).
  const script = new Script(Module.wrap(readFileSync(file, 'utf8')), {
    filename: file,
    cachedData,
    importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const verdict: CodeCacheVerdict = !cachedData ? 'absent' : script.cachedDataRejected ? 'rejected' : 'accepted';
  debug('%s: %s (%s)', file, verdict, cacheFile);
  // Never throws: the cache is optional.
  const save = () => {
    const partial = `${cacheFile}.${process.pid}`;
    try {
      mkdirSync(cacheFolder, { recursive: true });
      writeFileSync(partial, script.createCachedData());
      renameSync(partial, cacheFile);
      debug('%s: written (%s)', file, cacheFile);
    } catch (error) {
      if (existsSync(partial)) unlinkSync(partial);
      debug('%s: not written (%s)', file, (error as Error).message);
    }
  };
  // Registered before the bundle runs: a start stopped by its configuration check exits while it runs.
  if (verdict !== 'accepted') process.once('exit', save);
  const bundle = new Module(file);
  bundle.filename = file;
  (script.runInThisContext() as (...args: unknown[]) => void).call(bundle.exports, bundle.exports, requireFromBundle, bundle, file, dirname(file));
  bundle.loaded = true;
  return { verdict, exports: bundle.exports };
}

function readIfPresent(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}
