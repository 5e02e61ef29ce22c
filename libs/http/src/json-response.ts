import { hash } from 'node:crypto';
import type { Context } from 'koa';

/** Serialized forms of frozen (cached, never changing) objects: stringified and hashed once. */
const representations = new WeakMap<object, { json: string; etag?: string }>();

/**
 * A resource as JSON with a strong validator: `ETag` is a hash of the exact bytes, and a request
 * whose `If-None-Match` names it gets 304 without a body. Clients may keep the resource but must
 * revalidate (`Cache-Control: no-cache`), so they never see a stale one.
 */
export function respondWithResource(ctx: Context, resource: object): void {
  const representation = representationOf(resource);
  representation.etag ??= `"${hash('sha1', representation.json, 'base64url')}"`;
  ctx.status = 200;
  ctx.set('ETag', representation.etag);
  ctx.set('Cache-Control', 'no-cache');
  // Koa's `fresh` copies every response header to compare; only a conditional request needs it.
  if (ctx.headers['if-none-match'] !== undefined && ctx.fresh) {
    ctx.status = 304;
    return;
  }
  ctx.type = 'application/json';
  ctx.body = representation.json;
}

/**
 * A JSON answer; a frozen (cached) value is stringified once, not on every request. Any other
 * value (a page of a list, made for this request) goes out as its UTF-8 bytes: Node writes a text
 * body by joining it to the head and copying the whole into the JavaScript heap before encoding
 * it, a copy of every byte that bytes skip. Cached texts stay text, since a small buffer kept for
 * long would hold a shared 8 KB slab.
 */
export function respondWithJson(ctx: Context, value: object): void {
  ctx.status = 200;
  ctx.type = 'application/json';
  ctx.body = Object.isFrozen(value) ? representationOf(value).json : Buffer.from(JSON.stringify(value));
}

function representationOf(value: object): { json: string; etag?: string } {
  let representation = representations.get(value);
  if (!representation) {
    representation = { json: JSON.stringify(value) };
    if (Object.isFrozen(value)) representations.set(value, representation);
  }
  return representation;
}
