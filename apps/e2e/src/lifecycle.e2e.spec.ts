import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generateTokenKeys, tokenKeyEnv } from '@forum/auth';
import { freePorts, waitForStatus } from '@forum/process';

/**
 * The users service as ECS runs it (the built bundle, Node as the process), stopped with SIGTERM
 * under load and killed with SIGKILL during writes.
 */
const bundle = resolve(__dirname, '../../../dist/apps/users/main.js');
const engines = process.env['DATABASE_URL'] ? (['sqlite', 'postgres'] as const) : (['sqlite'] as const);
const report = (line: string) => process.stdout.write(`${line}\n`);
const keys = generateTokenKeys();
/** The load is one client registering at full speed: the per-client and per-task limits must not refuse it. */
const loadLimits = { REGISTRATIONS_PER_CLIENT_PER_MINUTE: '100000', ACCOUNT_HASHES_AT_ONCE: '2', PASSWORD_HASH_QUEUE: '64' };

async function startUsers(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; base: string }> {
  const [port] = await freePorts(1);
  const child = spawn(process.execPath, [bundle], {
    env: {
      ...process.env,
      ...tokenKeyEnv(keys),
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      PASSWORD_HASH_COST: '14',
      ...loadLimits,
    },
    stdio: 'ignore',
  });
  const base = `http://127.0.0.1:${port}/api/users`;
  if ((await waitForStatus(`${base}/ready`)) === 200) return { child, base };
  child.kill('SIGKILL');
  throw new Error('users did not become ready');
}

/**
 * Sends requests from `workers` concurrent loops until `stop()` is true; every outcome is recorded.
 * Mixed load is one registration (an scrypt hash, the costly write) to seven reads.
 */
async function load(base: string, workers: number, stop: () => boolean, write: boolean) {
  const outcomes: { status: number; username?: string; id?: number }[] = [];
  let n = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (!stop()) {
        const username = `u${process.pid}x${n++}`;
        const res = await fetch(write || n % 8 === 0 ? base : `${base}?limit=5`, {
          method: write || n % 8 === 0 ? 'POST' : 'GET',
          headers: { 'content-type': 'application/json' },
          body: write || n % 8 === 0 ? JSON.stringify({ username, displayName: 'Load', password: 'load test password' }) : undefined,
          signal: AbortSignal.timeout(5000),
        }).then(
          async (r) => ({ status: r.status, body: (await r.json()) as { id?: number } }),
          () => ({ status: 0, body: {} as { id?: number } }),
        );
        outcomes.push({ status: res.status, ...(res.status === 201 ? { username, id: res.body.id } : {}) });
      }
    }),
  );
  return outcomes;
}

describe.each(engines)('service lifecycle on %s', (engine) => {
  let dataDir: string;
  const schema = `lifecycle_${engine}_${process.pid}`;
  const env = () => ({ DATA_DIR: dataDir, ...(engine === 'postgres' ? { DB_SCHEMA: schema } : { DATABASE_URL: '' }), SHUTDOWN_TIMEOUT_MS: '10000' });
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'forum-lifecycle-'));
  });
  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
    if (engine === 'postgres') execFileSync('psql', [process.env['DATABASE_URL']!, '-qc', `drop schema if exists ${schema} cascade`]);
  });

  it('when SIGTERM arrives under steady load, then every accepted request completes successfully and it exits 0 in time', async () => {
    const { child, base } = await startUsers(env());
    const exited = once(child, 'exit');
    let done = false;
    const running = load(base, 16, () => done, false);
    await new Promise((r) => setTimeout(r, 1000));
    const signalled = Date.now();
    child.kill('SIGTERM');
    const [code] = await exited;
    const exitMs = Date.now() - signalled;
    await new Promise((r) => setTimeout(r, 200));
    done = true;
    const outcomes = await running;
    const answered = outcomes.filter((o) => o.status !== 0);
    const failed = answered.filter((o) => o.status < 200 || o.status >= 300);
    report(
      `SIGTERM under load (${engine}): ${outcomes.length} requests, ${answered.length} answered, ${failed.length} answered with an error, ${outcomes.length - answered.length} refused after the listener closed; exit ${code} after ${exitMs} ms`,
    );
    expect(failed).toEqual([]);
    expect(answered.length).toBeGreaterThan(100);
    expect(code).toBe(0);
    expect(exitMs).toBeLessThan(10000);
  }, 60000);

  it('when SIGKILL hits during a stream of writes, then every acknowledged write is there after a restart', async () => {
    const first = await startUsers(env());
    let done = false;
    const running = load(first.base, 8, () => done, true);
    await new Promise((r) => setTimeout(r, 2000));
    first.child.kill('SIGKILL');
    await once(first.child, 'exit');
    done = true;
    const acknowledged = (await running).filter((o) => o.status === 201);

    const second = await startUsers(env());
    try {
      const missing: string[] = [];
      for (const { id, username } of acknowledged) {
        const res = await fetch(`${second.base}/${id}`);
        const body = (await res.json()) as { username?: string };
        if (res.status !== 200 || body.username !== username) missing.push(`${id}:${username}`);
      }
      report(
        `SIGKILL during writes (${engine}): ${acknowledged.length} writes acknowledged, ${acknowledged.length - missing.length} found after restart`,
      );
      expect(acknowledged.length).toBeGreaterThan(20);
      expect(missing).toEqual([]);
    } finally {
      second.child.kill('SIGTERM');
      await once(second.child, 'exit');
    }
  }, 60000);
});
