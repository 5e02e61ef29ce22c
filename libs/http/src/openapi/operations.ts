import type { z } from 'zod';
import type { ProblemCode } from '@forum/errors';
import type { HeaderName } from './headers';

/** One answer of an operation that is not a problem. */
export interface SuccessSpec {
  status: number;
  description: string;
  /** The JSON body; none for 204 and 304. */
  schema?: z.ZodType;
  headers?: HeaderName[];
}

/**
 * What a service's route does, described next to it from the zod schemas it validates with;
 * the problems it can answer with are derived from what it reads (body, query, token).
 */
export interface OperationSpec {
  method: 'get' | 'post' | 'patch' | 'delete';
  /** Full path in OpenAPI form, e.g. `/api/users/{id}`. */
  path: string;
  summary: string;
  tags?: string[];
  /** Needs `Authorization: Bearer <token>`. */
  signedIn?: boolean;
  body?: z.ZodType;
  query?: z.ZodObject;
  /** Path parameters, all resource ids: name and what it names. */
  ids?: Record<string, string>;
  success: SuccessSpec[];
  /** Problems particular to this route, besides those derived from what it reads. */
  problems?: ProblemCode[];
}

// Every route: an unexpected failure; the database or this task being unavailable.
const ANY_ROUTE: ProblemCode[] = ['internal_error', 'service_unavailable'];
// What reading a JSON body can fail with (libs/http body.ts), before the schema runs.
const BODY: ProblemCode[] = ['malformed_json', 'bad_request', 'validation_failed', 'payload_too_large', 'unsupported_media_type', 'request_timeout'];

/** Every problem code the operation can answer with. */
export function problemsOf(op: OperationSpec): ProblemCode[] {
  return [
    ...(op.body ? BODY : []),
    ...(op.query ? (['validation_failed'] as const) : []),
    ...(op.signedIn ? (['unauthorized'] as const) : []),
    ...(op.ids ? (['not_found'] as const) : []),
    ...(op.problems ?? []),
    ...ANY_ROUTE,
  ];
}
