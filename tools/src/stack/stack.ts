import { spawn, type ChildProcess } from 'node:child_process';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { servicePrefixes, type ServiceName } from '@forum/contracts';
import { stopChild, waitUntilReady } from '@forum/process';
import { createLocalAlb } from './local-alb/local-alb';
import { albRoutes } from './local-alb/routes';
import { developmentTokenKeyEnv } from './development-key';

export interface StackOptions {
  albPort: number;
  ports: Record<ServiceName, number>;
  dataDir: string;
  /** Folder holding the built services: `<distDir>/<service>/main.js`. */
  distDir: string;
  /** The Copilot manifests the ALB's path rules come from. */
  copilotDir: string;
  demoData: boolean;
  /** Extra environment for every service (LOG_LEVEL, DATABASE_URL, ...). */
  env: NodeJS.ProcessEnv;
  /** Where each service's stdout and stderr go. */
  output: (service: ServiceName, stream: Readable) => void;
  /** Where the launcher's own lines go (a service that exited and its restart). */
  notice: (line: string) => void;
  readyTimeoutMs?: number;
}

export interface RunningStack {
  albUrl: string;
  /** Stops the router, then SIGTERMs the services and waits for them to exit. */
  stop(): Promise<void>;
}

const services = Object.keys(servicePrefixes) as ServiceName[];

/** Waits before restarting a service that exited: 0.5 s, doubling up to 15 s; reset once it has run 30 s. */
export const restartDelayMs = (restarts: number): number => Math.min(500 * 2 ** restarts, 15000);
const STABLE_AFTER_MS = 30000;
/** A service gets its whole drain window (30 s) and the database close before it is killed. */
const STOP_GRACE_MS = 35000;

/** Starts the three services as separate processes and the local ALB in front of them. */
export async function startStack(options: StackOptions): Promise<RunningStack> {
  const url = (service: ServiceName) => `http://127.0.0.1:${options.ports[service]}`;
  const children = new Map<ServiceName, ChildProcess>();
  const restarts = new Map<ServiceName, { count: number; timer?: NodeJS.Timeout }>();
  let supervising = false;
  // Should the launcher die without stopping them, the services must not outlive it.
  const orphanGuard = () => children.forEach((child) => child.exitCode === null && child.kill('SIGTERM'));
  process.once('exit', orphanGuard);
  const stopServices = async () => {
    supervising = false;
    restarts.forEach((r) => clearTimeout(r.timer));
    process.off('exit', orphanGuard);
    await Promise.all([...children.values()].map((child) => stopChild(child, { graceMs: STOP_GRACE_MS })));
  };
  try {
    const tokenKeys = developmentTokenKeyEnv(options.dataDir, options.env);
    // A service that exits while the stack runs is said so and restarted, with back-off.
    const supervise = (service: ServiceName, child: ChildProcess, startedAt: number) => {
      child.once('exit', (code, signal) => {
        if (!supervising) return;
        const restart = restarts.get(service) ?? { count: 0 };
        if (Date.now() - startedAt >= STABLE_AFTER_MS) restart.count = 0;
        const delay = restartDelayMs(restart.count++);
        options.notice(`${service} (pid ${child.pid}) exited with ${signal ?? `code ${code}`}; restarting it in ${delay} ms`);
        restart.timer = setTimeout(() => {
          if (!supervising) return;
          const next = start(service);
          options.notice(`${service} restarted (pid ${next.pid})`);
        }, delay);
        restarts.set(service, restart);
      });
    };
    const start = (service: ServiceName): ChildProcess => {
      const child = spawn(process.execPath, [join(options.distDir, service, 'main.js')], {
        env: {
          // Development: any origin may call the local API, unless the developer says otherwise.
          CORS_ORIGINS: '*',
          ...options.env,
          ...tokenKeys,
          PORT: String(options.ports[service]),
          HOST: '127.0.0.1',
          DATA_DIR: options.dataDir,
          DEMO_DATA: String(options.demoData),
          USERS_URL: url('users'),
          THREADS_URL: url('threads'),
        },
        // Own process group: Ctrl-C reaches the launcher alone, which then stops each service once.
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.set(service, child);
      if (child.stdout) options.output(service, child.stdout);
      if (child.stderr) options.output(service, child.stderr);
      supervise(service, child, Date.now());
      return child;
    };
    for (const service of services) options.notice(`${service} started (pid ${start(service).pid})`);
    const ready = (service: ServiceName, child: ChildProcess) =>
      waitUntilReady(`${url(service)}${servicePrefixes[service]}/ready`, child, {
        timeoutMs: options.readyTimeoutMs ?? 30000,
        intervalMs: 100,
        describe: () => service,
      });
    await Promise.all([...children].map(([service, child]) => ready(service, child)));
    const routes = albRoutes(options.copilotDir, { users: url('users'), threads: url('threads'), posts: url('posts') });
    const docs = services.map((name) => ({ name, documentUrl: `${servicePrefixes[name]}/openapi.json` }));
    const alb = createLocalAlb({ routes, docs });
    await listen(alb, options.albPort);
    supervising = true;
    return {
      albUrl: `http://127.0.0.1:${options.albPort}`,
      stop: async () => {
        alb.closeAllConnections();
        await new Promise((resolve) => alb.close(resolve));
        await stopServices();
      },
    };
  } catch (error) {
    await stopServices();
    throw error;
  }
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => resolve());
  });
}
