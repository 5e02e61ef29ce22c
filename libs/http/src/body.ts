import parse from 'co-body';
import type { Context } from 'koa';
import type { z } from 'zod';
import { AppError } from '@forum/errors';
import { validate } from '@forum/contracts';

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
  const body: unknown = await parse.json(ctx.req, { limit: ctx.bodyLimit, strict: true }).catch((error: unknown) => {
    throw undecodable(ctx, error) ?? error;
  });
  return validate(schema, body);
}

/** A body whose Content-Encoding (gzip, deflate, br) does not match its bytes fails inside zlib. */
function undecodable(ctx: Context, error: unknown): AppError | undefined {
  const encoding = ctx.get('Content-Encoding').toLowerCase();
  const fromZlib = typeof (error as { errno?: unknown } | null)?.errno === 'number' && !('status' in (error as object));
  if (!encoding || encoding === 'identity' || !fromZlib) return undefined;
  return new AppError('bad_request', `The request body could not be decoded as ${JSON.stringify(encoding)}`, { cause: error });
}

/** Validates the query string of a request. */
export function readQuery<S extends z.ZodType>(ctx: Context, schema: S): z.output<S> {
  return validate(schema, { ...ctx.query }, 'query');
}
