import { createServer, STATUS_CODES, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type Koa from 'koa';
import { AppError, PROBLEM_CONTENT_TYPE, toProblem } from '@forum/errors';
import type { Logger } from './logger';

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

/**
 * A request Node cannot parse (malformed request line or headers, headers over 16 KiB, too slow)
 * never reaches Koa; it still gets a problem+json answer, and the connection is closed.
 */
function answerUnparsable(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const code = error.code === 'HPE_HEADER_OVERFLOW' ? 'headers_too_large' : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 'request_timeout' : 'bad_request';
  const detail = code === 'bad_request' ? 'The request is not valid HTTP/1.1' : code === 'headers_too_large' ? 'The request headers are too large' : 'The request took too long to arrive';
  const problem = toProblem(new AppError(code, detail));
  const body = JSON.stringify(problem);
  socket.end(
    `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status]}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
