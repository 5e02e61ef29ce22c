import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Koa from 'koa';
import type { Logger } from './logger';
import { answerUnparsable, refuseConnect } from './problem-answer';

export interface ServeOptions {
  port: number;
  host: string;
  logger: Logger;
  /** Longer than the ALB's 60 s idle timeout, so the ALB always closes idle connections first. */
  keepAliveTimeoutMs: number;
  /** How long in-flight requests may take to finish after SIGTERM. */
  shutdownTimeoutMs: number;
  /** Releases what the service holds (the database) once no request is running. */
  onClose: () => Promise<void>;
}

export interface RunningService {
  server: Server;
  port: number;
  /** Drains and closes; resolves to the exit code. Calling it again returns the same drain. */
  shutdown(reason: string): Promise<number>;
  readonly shuttingDown: boolean;
}

/** Listens; `shutdown` drains in-flight requests, then closes what the service holds. */
export async function serve(app: Koa, options: ServeOptions): Promise<RunningService> {
  const server = createServer(app.callback());
  server.keepAliveTimeout = options.keepAliveTimeoutMs;
  server.headersTimeout = options.keepAliveTimeoutMs + 1000;
  server.requestTimeout = 60000;
  server.on('clientError', answerUnparsable);
  server.on('connect', refuseConnect);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  options.logger.info({ port }, 'listening');

  let shuttingDown: Promise<number> | undefined;
  const shutdown = (reason: string): Promise<number> => {
    shuttingDown ??= drain(app, server, options, reason);
    return shuttingDown;
  };
  return {
    server,
    port,
    shutdown,
    get shuttingDown() {
      return shuttingDown !== undefined;
    },
  };
}

async function drain(app: Koa, server: Server, options: ServeOptions, reason: string): Promise<number> {
  const { logger } = options;
  logger.info({ reason }, 'shutting down: no new connections, finishing in-flight requests');
  app.context.draining = true;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // Connections that finish their request while we drain become idle; close them as they do.
  const reaper = setInterval(() => server.closeIdleConnections(), 100);
  server.closeIdleConnections();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(true), options.shutdownTimeoutMs);
  });
  const late = await Promise.race([closed.then(() => false), timedOut]);
  clearInterval(reaper);
  clearTimeout(timer);
  if (late) {
    logger.error({ timeoutMs: options.shutdownTimeoutMs }, 'requests still running at the end of the drain window');
    server.closeAllConnections();
  }
  try {
    await options.onClose();
  } catch (err) {
    logger.error({ err }, 'error while closing');
    return 1;
  }
  logger.info('stopped');
  return late ? 1 : 0;
}
