import type { Context, Next } from 'koa';
import { addressRanges } from '@forum/config';

/**
 * The client's address: the TCP peer, unless the peer is a trusted proxy (the ALB); then
 * X-Forwarded-For is read from the right, each hop a trusted proxy appended, to the first address
 * no trusted proxy wrote, which is the one the outermost trusted proxy saw. A client that reaches
 * the service directly cannot choose its address by writing the header.
 */
export function clientAddressOf(peer: string, forwardedFor: string, isTrusted: (address: string) => boolean): string {
  let client = peer;
  const hops = forwardedFor
    .split(',')
    .map((hop) => hop.trim())
    .filter(Boolean);
  while (isTrusted(client) && hops.length) client = hops.pop() ?? client;
  return client;
}

/** Koa middleware setting `ctx.ip` to the client's address as above. */
export function clientAddress(trustedProxies: string[]) {
  const isTrusted = addressRanges(trustedProxies);
  return function setClientAddress(ctx: Context, next: Next): Promise<void> {
    ctx.request.ip = clientAddressOf(ctx.req.socket.remoteAddress ?? '', ctx.get('X-Forwarded-For'), isTrusted);
    return next();
  };
}
