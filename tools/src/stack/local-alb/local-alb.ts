import { randomBytes } from 'node:crypto';
import { Agent, createServer, type Server, type ServerResponse } from 'node:http';
import { createProxyServer } from 'http-proxy-3';
import { answerProblem, answerUnparsable, refuseConnect } from '@forum/http';
import type { ProblemCode } from '@forum/errors';
import { docsPage, type DocumentedService } from './docs-page';
import { matchRoute, type AlbRoute } from './routes';

export interface LocalAlbOptions {
  routes: AlbRoute[];
  /** Time the ALB waits for a target's answer before 504. */
  targetTimeoutMs?: number;
  /** Serves the documentation page at /docs over these services' documents. */
  docs?: DocumentedService[];
}

/**
 * What the Application Load Balancer does for this system, on one port: forward by path
 * prefix without rewriting the path, add X-Forwarded-* and an X-Amzn-Trace-Id, and answer
 * for unreachable targets with 502/504 (here in the API's problem+json format, with the services'
 * security headers, as are its own 404 and 400/431 for requests it cannot parse).
 */
export function createLocalAlb(options: LocalAlbOptions): Server {
  const timeoutMs = options.targetTimeoutMs ?? 60000;
  const proxy = createProxyServer({ xfwd: true, agent: new Agent({ keepAlive: true, maxSockets: 256 }), proxyTimeout: timeoutMs });
  const docs = options.docs && docsPage(options.docs);
  const server = createServer((req, res) => {
    if (docs?.(req, res)) return;
    const route = matchRoute(options.routes, req.url ?? '/');
    if (!route) {
      answer(res, 'route_not_found', `No service is routed for ${req.url}`);
      return;
    }
    if (!req.headers['x-amzn-trace-id']) req.headers['x-amzn-trace-id'] = traceId();
    const started = Date.now();
    proxy.web(req, res, { target: route.target }, () => {
      // The proxy ends a slow request with a bare "socket hang up"; the clock tells them apart.
      if (Date.now() - started >= timeoutMs) answer(res, 'gateway_timeout', `The ${route.service} service did not answer in time`);
      else answer(res, 'bad_gateway', `The ${route.service} service is not reachable`);
    });
  });
  // Outlive the services' own keep-alive so the proxy, like the ALB, is never the one surprised.
  server.keepAliveTimeout = 60000;
  server.headersTimeout = 61000;
  server.on('clientError', answerUnparsable);
  server.on('connect', refuseConnect);
  server.on('close', () => proxy.close());
  return server;
}

function answer(res: ServerResponse, code: ProblemCode, detail: string) {
  if (res.headersSent) res.destroy();
  else answerProblem(res, code, detail);
}

/** The ALB's trace id format: Root=1-<epoch seconds hex>-<24 hex digits>. */
function traceId(): string {
  return `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomBytes(12).toString('hex')}`;
}
