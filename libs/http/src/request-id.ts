import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Context } from 'koa';

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

/** What a call to another service made for this request carries along: its id and the caller's token. */
export const onBehalfOf = (ctx: Context): { requestId: string; authorization: string } => ({
  requestId: requestIdOf(ctx),
  authorization: ctx.get('Authorization'),
});
