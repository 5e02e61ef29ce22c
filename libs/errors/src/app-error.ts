import { problemCatalog, type ProblemCode } from './problem-codes';

/** One invalid input: where it is (`field`, dotted path) and what is wrong with it. */
export interface FieldError {
  field: string;
  code: string;
  message: string;
}

export interface AppErrorOptions {
  cause?: unknown;
  errors?: FieldError[];
  /** When trying again makes sense (a limit, an overload); the HTTP edge says it as Retry-After. */
  retryAfterSeconds?: number;
  /** Why a credential was refused, as RFC 6750 names it (`invalid_token`); the edge puts it in WWW-Authenticate. */
  credentialError?: 'invalid_token';
}

/**
 * The one error type of the code base. Domain code throws it with domain facts (a code, a
 * detail, when to retry); only the HTTP edge renders it, as problem+json with its headers. `expose` follows Koa's convention: 4xx details are shown, 5xx details are not
 * (except the few 5xx whose text we write ourselves, such as "the users service timed out").
 */
export class AppError extends Error {
  readonly code: ProblemCode;
  readonly status: number;
  readonly expose: boolean;
  readonly errors: FieldError[] | undefined;
  readonly retryAfterSeconds: number | undefined;
  readonly credentialError: 'invalid_token' | undefined;

  constructor(code: ProblemCode, detail: string, options: AppErrorOptions = {}) {
    super(detail, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    const entry: { status: number; expose?: boolean } = problemCatalog[code];
    this.status = entry.status;
    this.expose = entry.expose ?? this.status < 500;
    this.errors = options.errors;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.credentialError = options.credentialError;
  }
}

export const isAppError = (value: unknown): value is AppError => value instanceof AppError;

export const notFound = (resource: string, id: string | number): AppError =>
  new AppError('not_found', `${resource} ${JSON.stringify(String(id))} does not exist`);

/** `value` when there is one, else the not-found error of `resource` `id`. */
export function found<T>(value: T | undefined, resource: string, id: string | number): T {
  if (value === undefined) throw notFound(resource, id);
  return value;
}

export const validationFailed = (errors: FieldError[]): AppError =>
  new AppError('validation_failed', errors.map((e) => `${e.field}: ${e.message}`).join('; '), { errors });

export const conflict = (detail: string, field?: string): AppError =>
  new AppError('conflict', detail, field ? { errors: [{ field, code: 'conflict', message: detail }] } : {});

/** A body field names a resource (in this or another service) that does not exist. */
export const unknownReference = (field: string, resource: string, id: number): AppError => {
  const message = `${resource} ${id} does not exist`;
  return new AppError('unknown_reference', message, { errors: [{ field, code: 'unknown_reference', message }] });
};
