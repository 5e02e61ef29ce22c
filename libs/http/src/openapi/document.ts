import { z } from 'zod';
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject, type ZodOpenApiResponsesObject } from 'zod-openapi';
import { PROBLEM_CONTENT_TYPE } from '@forum/errors';
import { headerComponents, headerRefs, type HeaderName } from './headers';
import { problemsOf, type OperationSpec } from './operations';
import { byStatus, describeProblems, problemSchema } from './problems';

export interface ServiceSpec {
  /** e.g. `users`; the document is served at `<prefix>/openapi.json`. */
  service: string;
  prefix: string;
  description: string;
  operations: OperationSpec[];
}

export type OpenApiDocument = ReturnType<typeof createDocument>;

const status = z.strictObject({ status: z.string() });

/** The operations every service has: liveness, readiness, and this document. */
function builtIn(prefix: string): OperationSpec[] {
  return [
    {
      method: 'get',
      path: `${prefix}/health`,
      summary: 'Liveness: the process answers',
      tags: ['health'],
      success: [{ status: 200, description: 'Alive', schema: status }],
      problems: [],
    },
    {
      method: 'get',
      path: `${prefix}/ready`,
      summary: 'Readiness: the database answers and the task is not draining',
      tags: ['health'],
      success: [{ status: 200, description: 'Ready', schema: status }],
    },
    {
      method: 'get',
      path: `${prefix}/openapi.json`,
      summary: 'This OpenAPI document',
      tags: ['contract'],
      success: [{ status: 200, description: 'The OpenAPI 3.1 document', schema: z.looseObject({ openapi: z.string() }) }],
    },
  ];
}

/** The service's OpenAPI 3.1 document, generated from the zod schemas its routes validate with. */
export function openApiDocument(spec: ServiceSpec): OpenApiDocument {
  const paths: ZodOpenApiPathsObject = {};
  for (const op of [...spec.operations, ...builtIn(spec.prefix)]) {
    paths[op.path] = { ...paths[op.path], [op.method]: operation(op) };
  }
  return createDocument({
    openapi: '3.1.0',
    info: { title: `Forum ${spec.service} API`, version: '1.0.0', description: spec.description },
    servers: [{ url: '/', description: 'The load balancer that routes this path prefix' }],
    paths,
    components: {
      headers: headerComponents as never,
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'An access token from POST /api/users/session.' },
      },
    },
  });
}

function operation(op: OperationSpec): ZodOpenApiOperationObject {
  const ids =
    op.ids &&
    z.strictObject(
      Object.fromEntries(
        Object.entries(op.ids).map(([name, doc]) => [
          name,
          z
            .string()
            .regex(/^[1-9][0-9]{0,15}$/)
            .meta({ description: doc }),
        ]),
      ),
    );
  return {
    operationId: `${op.method}${op.path.replace(/\{([^}]+)\}/g, 'By-$1').replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
    summary: op.summary,
    ...(op.tags ? { tags: op.tags } : {}),
    ...(op.signedIn ? { security: [{ bearer: [] }] } : {}),
    ...(ids || op.query ? { requestParams: { ...(ids ? { path: ids } : {}), ...(op.query ? { query: op.query } : {}) } } : {}),
    ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: op.body } } } } : {}),
    responses: responses(op),
  };
}

const PROBLEM_HEADERS: Record<number, HeaderName[]> = { 401: ['WWW-Authenticate'], 429: ['Retry-After'], 503: ['Retry-After'] };

function responses(op: OperationSpec): ZodOpenApiResponsesObject {
  const out: ZodOpenApiResponsesObject = {};
  for (const success of op.success) {
    out[String(success.status) as `${1 | 2 | 3 | 4 | 5}${string}`] = {
      description: success.description,
      headers: headerRefs(['X-Request-Id', ...(success.headers ?? [])]),
      ...(success.schema ? { content: { 'application/json': { schema: success.schema } } } : {}),
    };
  }
  for (const [code, codes] of byStatus(problemsOf(op))) {
    out[String(code) as `${1 | 2 | 3 | 4 | 5}${string}`] = {
      description: describeProblems(codes),
      headers: headerRefs(['X-Request-Id', ...(PROBLEM_HEADERS[code] ?? [])]),
      content: { [PROBLEM_CONTENT_TYPE]: { schema: problemSchema(codes) } },
    };
  }
  return out;
}
