import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generateTokenKeys, tokenKeyEnv } from '@forum/auth';
import { freePorts, waitForStatus } from '@forum/process';

/**
 * The runtime stage of the Dockerfile, reproduced without a Docker engine: the built bundle and
 * its generated package.json/lock in an empty folder, `npm ci --omit=dev` there and the same
 * pruning script, the compile cache made by the same script as uid 1001, everything owned by root
 * and read-only, the service started as uid 1001 with production settings.
 */
const dist = resolve(__dirname, '../../../dist/apps');
const prune = resolve(__dirname, '../../../tools/scripts/prune-production-modules.sh');
const warmCompileCache = resolve(__dirname, '../../../tools/scripts/warm-compile-cache.sh');
const services = ['users', 'threads', 'posts'] as const;
const NODE_UID = 1001;
const devOnly = ['jest', 'typescript', 'nx', '@nx', 'eslint', 'supertest', 'ts-jest', 'esbuild', 'pino-pretty', 'http-proxy-3'];

const asNodeIds = [`--reuid=${NODE_UID}`, `--regid=${NODE_UID}`, '--clear-groups'];
const compileCache = (folder: string) => join(folder, '.compile-cache');
const dependenciesOf = (dir: string) => (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { dependencies: object }).dependencies;

function asNodeUser(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn('setpriv', [...asNodeIds, process.execPath, ...args], {
    cwd,
    env: { PATH: process.env['PATH'], NODE_ENV: 'production', NODE_COMPILE_CACHE: compileCache(cwd), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

describe('runtime stage (no Docker engine)', () => {
  const root = mkdtempSync(join(tmpdir(), 'forum-runtime-'));
  const folder = (service: string) => join(root, service);
  let installed: string | undefined;

  beforeAll(() => {
    chmodSync(root, 0o755);
    for (const service of services) {
      mkdirSync(folder(service));
      for (const file of ['main.js', 'start.js', 'package.json', 'package-lock.json']) cpSync(join(dist, service, file), join(folder(service), file));
      const sameDependencies = installed && JSON.stringify(dependenciesOf(installed)) === JSON.stringify(dependenciesOf(folder(service)));
      if (installed && sameDependencies) {
        // The same lock installs the same tree; copy it rather than compile better-sqlite3 again.
        cpSync(join(installed, 'node_modules'), join(folder(service), 'node_modules'), { recursive: true });
      } else {
        execFileSync('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund'], { cwd: folder(service), stdio: 'pipe' });
        execFileSync('sh', [prune, join(folder(service), 'node_modules')]);
        installed = folder(service);
      }
      mkdirSync(compileCache(folder(service)));
      chownSync(compileCache(folder(service)), NODE_UID, NODE_UID);
      execFileSync('setpriv', [...asNodeIds, 'sh', warmCompileCache, join(folder(service), 'start.js'), compileCache(folder(service))], {
        env: { PATH: process.env['PATH'] },
        stdio: 'pipe',
      });
      execFileSync('chown', ['-R', 'root:root', folder(service)]);
      execFileSync('chmod', ['-R', 'a=rX', folder(service)]);
    }
    const size = execFileSync('du', ['-sh', folder('users')], { encoding: 'utf8' }).split('\t')[0];
    process.stdout.write(`runtime folder of one service (bundle + production node_modules): ${size}\n`);
  }, 600000);

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('when installed, then only production dependencies are present and no TypeScript source', () => {
    for (const service of services) {
      const modules = readdirSync(join(folder(service), 'node_modules'));
      expect(modules.filter((m) => devOnly.includes(m))).toEqual([]);
      expect(modules).toEqual(expect.arrayContaining(['koa', 'better-sqlite3', 'pg', 'pino']));
      expect(readdirSync(folder(service)).filter((f) => f.endsWith('.ts'))).toEqual([]);
    }
  });

  it.each(services)('when %s runs as uid 1001 in production mode, then it is healthy and ready', async (service) => {
    const [port] = await freePorts(1);
    const data = mkdtempSync(join(tmpdir(), 'forum-runtime-data-'));
    chownSync(data, NODE_UID, NODE_UID);
    const child = asNodeUser(folder(service), ['start.js'], {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: data,
      ...tokenKeyEnv(generateTokenKeys()),
      ...(process.env['DATABASE_URL'] ? { DATABASE_URL: process.env['DATABASE_URL'], DB_SCHEMA: `runtime_${service}_${process.pid}` } : {}),
    });
    let output = '';
    child.stdout?.on('data', (c) => (output += c));
    child.stderr?.on('data', (c) => (output += c));
    try {
      const base = `http://127.0.0.1:${port}/api/${service}`;
      const health = await waitForStatus(`${base}/health`);
      expect({ health, output: health === 200 ? '' : output }).toEqual({ health: 200, output: '' });
      expect((await fetch(`${base}/ready`)).status).toBe(200);
      const uid = execFileSync('ps', ['-o', 'uid=', '-p', String(child.pid)], { encoding: 'utf8' }).trim();
      expect(Number(uid)).toBe(NODE_UID);
    } finally {
      const exited = child.exitCode !== null ? Promise.resolve([child.exitCode]) : once(child, 'exit');
      child.kill('SIGTERM');
      const [code] = await exited;
      expect({ code, output: code === 0 ? '' : output }).toEqual({ code: 0, output: '' });
      rmSync(data, { recursive: true, force: true });
      if (process.env['DATABASE_URL']) {
        execFileSync('psql', [process.env['DATABASE_URL'], '-qc', `drop schema if exists runtime_${service}_${process.pid} cascade`]);
      }
    }
  });

  it.each(services)(
    'when %s starts from the compile caches made at build time, then V8 takes the cached code of every file it loads',
    async (service) => {
      // No configuration: everything loads, then the configuration check stops it. Node reports on
      // its compile cache (start.js, the modules), libs/code-cache on the bundle's own.
      const child = asNodeUser(folder(service), ['start.js'], { NODE_DEBUG_NATIVE: 'COMPILE_CACHE', NODE_DEBUG: 'code_cache' });
      let output = '';
      child.stderr?.on('data', (c) => (output += c));
      await once(child, 'exit');
      const verdicts = (word: string) => output.split('\n').filter((line) => line.includes(`was ${word}`));
      expect(verdicts('accepted').some((line) => line.includes(join(folder(service), 'start.js')))).toBe(true);
      expect(verdicts('rejected')).toEqual([]);
      const bundleCache = output.split('\n').filter((line) => line.startsWith('CODE_CACHE '));
      expect(bundleCache).toEqual([
        expect.stringContaining(`${join(folder(service), 'main.js')}: accepted (${compileCache(folder(service))}/main.js-`),
      ]);
      expect(output).not.toMatch(/cannot|permission denied|failed/i);
    },
  );

  it('when the service user tries to change its own files, then it is refused', () => {
    const script = `try { require('fs').writeFileSync(${JSON.stringify(join(folder('users'), 'main.js'))}, 'x'); process.exit(0) } catch (e) { process.stdout.write(e.code); process.exit(3) }`;
    const attempt = (code: string) =>
      new Promise<{ status: number | null; out: string }>((resolve) => {
        const child = asNodeUser(root, ['-e', code]);
        let out = '';
        child.stdout?.on('data', (c) => (out += c));
        child.on('exit', (status) => resolve({ status, out }));
      });
    return Promise.all([
      attempt(script).then((r) => expect(r).toEqual({ status: 3, out: 'EACCES' })),
      attempt(script.replace('main.js', 'new-file.js')).then((r) => expect(r).toEqual({ status: 3, out: 'EACCES' })),
    ]).then(() => expect(existsSync(join(folder('users'), 'new-file.js'))).toBe(false));
  });
});
