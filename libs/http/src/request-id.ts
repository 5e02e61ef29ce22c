import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Context } from 'koa';
import { runInRequest } from '@forum/context';

const SAFE_ID = /^[A-Za-z0-9._:;=\-/+]{1,200}$/;

/**
 * The id that ties a request's log lines together across services: the caller's
 * X-Request-Id, else the ALB's X-Amzn-Trace-Id, else a new one. Ids with unexpected
 * characters are replaced so that they cannot forge log lines or headers.
 */
export function pickRequestId(headers: IncomingHttpHeaders): string {
  for (const name of ['x-request-id', 'x-amzn-trace-id']) {
    const value = headers[name];
    if (typeof value === 'string' && SAFE_ID.test(value)) return value;
  }
  return randomUUID();
}

/** The id the logger gave this request (see pickRequestId), to pass on to other services. */
export const requestIdOf = (ctx: Context): string => String(ctx.req.id ?? '');

/**
 * Sets the request context (libs/context) once, at the edge: the request's id, the caller's
 * credentials and its logger travel from here to the service client and the service's log lines
 * without being passed down.
 */
export const withRequestContext = () =>
  async function requestContext(ctx: Context, next: () => Promise<unknown>): Promise<void> {
    await runInRequest({ requestId: requestIdOf(ctx), credentials: ctx.get('Authorization') || undefined, log: ctx.log }, next);
  };
