import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Context } from 'koa';
import getRawBody from 'raw-body';
import type { z } from 'zod';
import { AppError } from '@forum/errors';
import { validate } from '@forum/contracts';
import { bodyNotUtf8, decodeUtf8, parseQueryString } from './strict-text';

/** Reads the JSON body of a request and validates it: 415, 413, 400 as the input deserves. */
export async function readBody<S extends z.ZodType>(ctx: Context, schema: S): Promise<z.output<S>> {
  if (!ctx.request.is('application/json', '+json')) {
    throw new AppError('unsupported_media_type', 'The request body must be application/json');
  }
  // JSON on the wire is UTF-8 (RFC 8259); another declared charset would be decoded wrongly.
  const charset = ctx.request.charset.toLowerCase();
  if (charset && charset !== 'utf-8' && charset !== 'utf8') {
    throw new AppError('unsupported_media_type', `The charset ${JSON.stringify(charset)} is not supported; send UTF-8`);
  }
  const bytes = await readBytes(ctx);
  const text = decodeUtf8(bytes);
  if (text === undefined) throw bodyNotUtf8(bytes);
  return validate(schema, parseJsonObject(text));
}

/** The body's bytes, decompressed, at most `ctx.bodyLimit` of them (413 past that, raw-body's error). */
async function readBytes(ctx: Context): Promise<Buffer> {
  const encoding = (ctx.get('Content-Encoding') || 'identity').toLowerCase();
  const length = encoding === 'identity' ? ctx.get('Content-Length') || undefined : undefined;
  try {
    return await getRawBody(decompressed(ctx.req, encoding), { limit: ctx.bodyLimit, length });
  } catch (error) {
    // A body that is not what its Content-Encoding (gzip, deflate, br) says fails inside zlib.
    const fromZlib = typeof (error as { errno?: unknown } | null)?.errno === 'number' && !('status' in (error as object));
    if (!fromZlib) throw error;
    throw new AppError('bad_request', `The request body could not be decoded as ${JSON.stringify(encoding)}`, { cause: error });
  }
}

const decoders: Record<string, () => NodeJS.ReadWriteStream> = { gzip: createGunzip, deflate: createInflate, br: createBrotliDecompress };

function decompressed(req: IncomingMessage, encoding: string): Readable {
  if (encoding === 'identity') return req;
  const decoder = decoders[encoding];
  if (!decoder) throw new AppError('unsupported_media_type', `The content encoding ${JSON.stringify(encoding)} is not supported`);
  return req.pipe(decoder()) as unknown as Readable;
}

/** A JSON object or array (an empty body is `{}`); `__proto__` keys are refused, never merged. */
function parseJsonObject(text: string): unknown {
  if (text === '') return {};
  const malformed = () => new AppError('malformed_json', 'The request body is not valid JSON');
  if (!/^[ \t\n\r]*[[{]/.test(text)) throw malformed(); // JSON whitespace (RFC 8259), then an object or array
  try {
    return JSON.parse(text, (key, value: unknown) => {
      if (key === '__proto__') throw new SyntaxError('__proto__ key');
      return value;
    });
  } catch {
    throw malformed();
  }
}

/** Validates the query string of a request (decoded strictly, see parseQueryString). */
export function readQuery<S extends z.ZodType>(ctx: Context, schema: S): z.output<S> {
  return validate(schema, parseQueryString(ctx.querystring), 'query');
}
