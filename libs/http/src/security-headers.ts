import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Context, Next } from 'koa';
import helmet from 'helmet';

/**
 * helmet's headers, tuned for a JSON API (nothing to render, readable cross-origin where CORS
 * allows), computed once. Every answer that leaves a service or the local ALB carries them, the
 * ones Koa never sees (unparsable requests, the ALB's own 404/502/504) included.
 */
export const securityHeaders: Readonly<Record<string, string>> = (() => {
  const headers: Record<string, string> = {};
  const collector = { setHeader: (name: string, value: unknown) => (headers[name] = String(value)), removeHeader: () => undefined };
  const middleware = helmet({
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    crossOriginResourcePolicy: { policy: 'cross-origin' },
  });
  middleware({} as IncomingMessage, collector as unknown as ServerResponse, () => undefined);
  return Object.freeze(headers);
})();

/** Koa middleware setting the headers on every response. */
export function withSecurityHeaders() {
  return function setSecurityHeaders(ctx: Context, next: Next): Promise<void> {
    ctx.set(securityHeaders);
    return next();
  };
}
