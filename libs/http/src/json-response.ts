import { hash } from 'node:crypto';
import type { Context } from 'koa';

/**
 * A JSON body as it is sent. Node writes a text body by joining it to the head and copying the
 * whole into the JavaScript heap before encoding it; bytes go out as they are. An answer of a
 * page's size (kilobytes, read on every request for a list) goes out as bytes, in memory of its
 * own: `Buffer.from` would make a smaller one a slice of a shared 8 KB slab, which a kept slice
 * holds for as long as it is kept. A row's answer (a few hundred bytes, cached by the thousand)
 * stays text, where the copy is small.
 */
type Json = string | Buffer;
const AS_BYTES_FROM = 1024;

function bytesOf(text: string): Buffer {
  const bytes = Buffer.allocUnsafeSlow(Buffer.byteLength(text));
  bytes.write(text);
  return bytes;
}

/** Serialized forms of frozen (cached, never changing) objects: stringified and hashed once. */
const representations = new WeakMap<object, { json: Json; etag?: string }>();

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

/** A JSON answer; a frozen (cached) value is stringified once, not on every request. */
export function respondWithJson(ctx: Context, value: object): void {
  ctx.status = 200;
  ctx.type = 'application/json';
  ctx.body = representationOf(value).json;
}

function representationOf(value: object): { json: Json; etag?: string } {
  let representation = representations.get(value);
  if (!representation) {
    const text = JSON.stringify(value);
    representation = { json: text.length < AS_BYTES_FROM ? text : bytesOf(text) };
    if (Object.isFrozen(value)) representations.set(value, representation);
  }
  return representation;
}
