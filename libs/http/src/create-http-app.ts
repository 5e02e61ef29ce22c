import type { IncomingMessage, ServerResponse } from 'node:http';
import cors from '@koa/cors';
import Router from '@koa/router';
import Koa from 'koa';
import pinoLogger from 'koa-pino-logger';
import { AppError } from '@forum/errors';
import type { Logger } from './logger';
import { clientAddress } from './client-address';
import { errorHandler } from './error-handler';
import { serveDocument } from './openapi/serve-document';
import { redactUrl } from './redact-url';
import { pickRequestId, withRequestContext } from './request-id';
import { withSecurityHeaders } from './security-headers';
import { respondWithJson } from './json-response';

declare module 'koa' {
  interface DefaultContext {
    /** Largest JSON body accepted, in bytes. */
    bodyLimit: number;
    /** Set when the process has started to shut down; readiness then fails. */
    draining: boolean;
  }
}

export interface HttpAppOptions {
  /** The ALB path prefix this service owns, e.g. `/api/users`. */
  prefix: string;
  logger: Logger;
  bodyLimit: number;
  corsOrigins: string[];
  /** CIDR ranges whose peers' X-Forwarded-For is believed (TRUSTED_PROXIES). */
  trustedProxies: string[];
  /** Throws when the service cannot serve (its database is unreachable). */
  checkReady: () => Promise<void>;
  /** Mounts the service's resource routes on the prefixed router. */
  routes: (router: Router) => void;
  /** Routes for other services only, under a prefix the ALB does not route (`/internal/<service>`). */
  internal?: { prefix: string; routes: (router: Router) => void };
  /** The service's OpenAPI document, served at `<prefix>/openapi.json`. */
  openapi?: () => object;
}

const READY_TIMEOUT_MS = 1000;

/** The Koa app every service is: request ids and logs, problem+json errors, CORS, health. */
const HEALTHY = Object.freeze({ status: 'ok' });
const READY = Object.freeze({ status: 'ready' });

export function createHttpApp(options: HttpAppOptions): Koa {
  const app = new Koa();
  app.context.bodyLimit = options.bodyLimit;
  app.context.draining = false;
  app.silent = true; // every error is rendered and logged by errorHandler

  const health = `${options.prefix}/health`;
  const ready = `${options.prefix}/ready`;
  app.use(accessLog(options.logger, (url) => url === health || url === ready));
  app.use(withRequestContext());
  app.use(withSecurityHeaders());
  app.use(clientAddress(options.trustedProxies));
  app.use(errorHandler());
  app.use(corsFor(options.corsOrigins));

  const router = new Router({ prefix: options.prefix });
  // Answered with JSON text: an object body makes Koa test it against `Response`, which loads
  // Node's built-in fetch on the first answer, on the way to the first ready check.
  router.get('/health', (ctx) => respondWithJson(ctx, HEALTHY));
  router.get('/ready', async (ctx) => {
    if (ctx.draining) throw new AppError('service_unavailable', 'The service is shutting down');
    await withTimeout(options.checkReady(), READY_TIMEOUT_MS).catch((cause: unknown) => {
      throw new AppError('service_unavailable', 'The database is not reachable', { cause });
    });
    respondWithJson(ctx, READY);
  });
  if (options.openapi) serveDocument(router, options.openapi);
  options.routes(router);
  app.use(router.routes());
  app.use(router.allowedMethods());
  if (options.internal) {
    const internal = new Router({ prefix: options.internal.prefix });
    options.internal.routes(internal);
    app.use(internal.routes());
    app.use(internal.allowedMethods());
  }
  return app;
}

/** What the access line of a request says: one flat line, without headers or bodies. */
const accessLine = (req: IncomingMessage, res: ServerResponse, responseTime: unknown) => ({
  method: req.method,
  // A token or password in a query string must not reach the log.
  url: redactUrl(req.url ?? ''),
  statusCode: res.statusCode,
  responseTime,
});

/**
 * koa-pino-logger, made cheap: pino-http makes one child logger per request whatever the options,
 * so that child binds only the request id (under `requestId`, serialized as the id itself, not the
 * whole request), and the access line is one flat object. Every line logged while serving the
 * request (`ctx.log`) carries the id.
 */
function accessLog(logger: Logger, ignored: (url: string | undefined) => boolean) {
  return pinoLogger({
    logger,
    customAttributeKeys: { req: 'requestId', reqId: 'requestId' },
    wrapSerializers: false,
    serializers: { requestId: (req: IncomingMessage) => req.id },
    genReqId: (req, res) => {
      const id = pickRequestId(req.headers);
      res.setHeader('X-Request-Id', id);
      return id;
    },
    // Load-balancer health checks would drown the access log.
    autoLogging: { ignore: (req) => ignored(req.url) },
    // 500 is ours to fix; 502-504 are overload or another service, which a client can provoke.
    customLogLevel: (_req, res, err) => (err || res.statusCode === 500 ? 'error' : res.statusCode > 500 ? 'warn' : 'info'),
    customSuccessObject: (req, res, { responseTime }: Record<string, unknown>) => accessLine(req, res, responseTime),
    // The access line of a 5xx would carry a made-up "failed with status code" error and its
    // stack; errorHandler has already logged the real cause where there is one.
    customErrorObject: (req, res, _error, { responseTime }: Record<string, unknown>) => accessLine(req, res, responseTime),
  });
}

function corsFor(origins: string[]) {
  const any = origins.includes('*');
  return cors({
    origin: (ctx) => {
      const origin = ctx.get('Origin');
      return any || origins.includes(origin) ? origin || '*' : '';
    },
    exposeHeaders: ['X-Request-Id', 'Location', 'Retry-After'],
    maxAge: 600,
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
