import type { Context, Next } from 'koa';
import { AppError, PROBLEM_CONTENT_TYPE, isAppError, toProblem, type ProblemCode } from '@forum/errors';
import { discardRestOfBody } from './discard-body';
import { requestIdOf } from './request-id';

/** Errors of the body parser and of Koa itself (http-errors) mapped to our problem codes. */
const parserErrors: Record<string, ProblemCode> = {
  'entity.parse.failed': 'malformed_json',
  'entity.too.large': 'payload_too_large',
  'encoding.unsupported': 'unsupported_media_type',
  'charset.unsupported': 'unsupported_media_type',
};

const byStatus: Record<number, ProblemCode> = {
  413: 'payload_too_large',
  415: 'unsupported_media_type',
};

function toAppError(error: unknown): AppError {
  if (isAppError(error)) return error;
  const httpError = error as { status?: unknown; type?: unknown; message?: unknown; expose?: unknown };
  if (typeof httpError?.status === 'number' && httpError.status >= 400 && httpError.status < 500) {
    // A JSON.parse failure (SyntaxError) that carries status 400 and no type is malformed JSON.
    const code =
      error instanceof SyntaxError ? 'malformed_json' : (parserErrors[String(httpError.type)] ?? byStatus[httpError.status] ?? 'bad_request');
    const detail = code === 'malformed_json' ? 'The request body is not valid JSON' : String(httpError.message);
    return new AppError(code, detail, { cause: error });
  }
  return new AppError('internal_error', 'Unexpected error', { cause: error });
}

/** The HTTP side of a domain error: RFC 6750's challenge on a 401, Retry-After when retrying makes sense. */
function headersOf(error: AppError): Record<string, string> {
  const headers: Record<string, string> = {};
  if (error.code === 'unauthorized') {
    headers['WWW-Authenticate'] = error.credentialError
      ? `Bearer realm="forum", error="${error.credentialError}", error_description="${error.message.replace(/["\\]/g, "'")}"`
      : 'Bearer realm="forum"';
  }
  if (error.retryAfterSeconds !== undefined) headers['Retry-After'] = String(error.retryAfterSeconds);
  return headers;
}

const causeMessage = (cause: unknown): string | undefined =>
  cause instanceof Error ? cause.message : cause === undefined ? undefined : String(cause);

/**
 * Every failure, and every request no route answered, leaves as application/problem+json; 5xx
 * details and stacks go to the log only. It runs inside the logger, the request context, the
 * security headers and the client address (which cannot fail), and outside CORS and the routes.
 */
export function errorHandler() {
  return async function renderProblems(ctx: Context, next: Next): Promise<void> {
    try {
      await next();
      if (ctx.body == null && ctx.status === 404) {
        throw new AppError('route_not_found', `No route matches ${ctx.method} ${ctx.path}`);
      }
      // 501 is koa-router's answer to a method it does not know (TRACE, PROPFIND): the client's
      // mistake like any other wrong method, so 405, logged as a 4xx, never as an error.
      if (ctx.body == null && (ctx.status === 405 || ctx.status === 501)) {
        throw new AppError('method_not_allowed', `${ctx.method} is not allowed on ${ctx.path}`);
      }
    } catch (caught) {
      const error = toAppError(caught);
      // An unexpected failure is an error, with its stack. A 5xx we wrote ourselves (overload,
      // another service down) is a warning without one: a client can cause many of them at will.
      if (!error.expose) ctx.log.error({ err: error.cause ?? error, code: error.code }, error.message);
      else if (error.status >= 500) ctx.log.warn({ code: error.code, cause: causeMessage(error.cause) }, error.message);
      ctx.status = error.status;
      ctx.set(headersOf(error));
      ctx.type = PROBLEM_CONTENT_TYPE;
      ctx.body = toProblem(error, { instance: ctx.path, requestId: requestIdOf(ctx) });
      // Refused before its body was read (too large, a failed decompression): what is left of the
      // body is read first (up to a bound), so a proxy still sending it gets this answer and not a
      // reset; the connection is then closed, and says so, rather than reused with unread bytes.
      if (!ctx.req.complete) {
        ctx.set('Connection', 'close');
        await discardRestOfBody(ctx.req);
      }
    }
  };
}
