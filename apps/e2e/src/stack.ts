import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePorts, stopChild } from '@forum/process';

const launcher = resolve(__dirname, '../../../dist/tools/main.js');

export interface StartedStack {
  baseUrl: string;
  process: ChildProcess;
  ports: number[];
  /** The stack's data folder (SQLite files, development token key). */
  dataDir: string;
  output: () => string;
  /** SIGTERM, as Ctrl-C or a process manager would; resolves to the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Runs `node dist/tools/main.js start` (what `npm start` runs) on free ports and an empty data
 * folder. Every request of a spec comes from one address, so the per-client registration limit is
 * raised unless `env` says otherwise.
 */
export async function startStack(extraEnv: NodeJS.ProcessEnv = {}): Promise<StartedStack> {
  const ports = await freePorts(4);
  const [alb, users, threads, posts] = ports;
  const dataDir = mkdtempSync(join(tmpdir(), 'forum-e2e-'));
  const env = { ...process.env };
  delete env['DATABASE_URL']; // the quick start's embedded engine
  const child = spawn(process.execPath, [launcher, 'start'], {
    env: {
      ...env,
      REGISTRATIONS_PER_CLIENT_PER_MINUTE: '1000',
      ...extraEnv,
      ALB_PORT: `${alb}`,
      USERS_PORT: `${users}`,
      THREADS_PORT: `${threads}`,
      POSTS_PORT: `${posts}`,
      DATA_DIR: dataDir,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const deadline = Date.now() + 30000;
  while (!output.includes('Forum API on')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the stack did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    baseUrl: `http://127.0.0.1:${alb}`,
    process: child,
    ports,
    dataDir,
    output: () => output,
    stop: async () => {
      const code = await stopChild(child);
      rmSync(dataDir, { recursive: true, force: true });
      return code;
    },
  };
}

export async function isListening(port: number): Promise<boolean> {
  return fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(500) }).then(
    () => true,
    () => false,
  );
}
