import { openApiContract } from './contract';

// A document of the shape the services' are (see libs/http/src/openapi), written out by hand.
const requestId = { $ref: '#/components/headers/X-Request-Id' };
const notFound = {
  description: 'not_found',
  headers: { 'X-Request-Id': requestId },
  content: {
    'application/problem+json': {
      schema: {
        type: 'object',
        properties: {
          type: { type: 'string' },
          code: { enum: ['not_found'] },
          title: { type: 'string' },
          status: { const: 404 },
          detail: { type: 'string' },
        },
        required: ['type', 'code', 'title', 'status', 'detail'],
        additionalProperties: false,
      },
    },
  },
};
const document = {
  openapi: '3.1.0',
  info: { title: 'things', version: '1' },
  paths: {
    '/api/things/{id}': {
      get: {
        responses: {
          200: {
            description: 'The thing',
            headers: { 'X-Request-Id': requestId, ETag: { $ref: '#/components/headers/ETag' } },
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } },
          },
          404: notFound,
        },
      },
      delete: { responses: { 204: { description: 'Deleted', headers: { 'X-Request-Id': requestId } }, 404: notFound } },
    },
  },
  components: {
    schemas: { Thing: { type: 'object', properties: { id: { type: 'number' } }, required: ['id'], additionalProperties: false } },
    headers: { 'X-Request-Id': { required: true, schema: { type: 'string' } }, ETag: { required: true, schema: { type: 'string' } } },
  },
};
const check = openApiContract(document, '/api/things');
const json = (status: number, body: unknown, headers: Record<string, string> = {}) => ({
  status,
  headers: { 'content-type': 'application/json; charset=utf-8', 'x-request-id': 'r1', ...headers },
  text: JSON.stringify(body),
});
const problem = (status: number, code: string) => ({
  ...json(status, { type: `urn:forum:problem:${code.replace(/_/g, '-')}`, code, title: 'T', status, detail: 'D' }),
  headers: { 'content-type': 'application/problem+json', 'x-request-id': 'r1' },
});

describe('openApiContract', () => {
  it('when a response matches its operation, then it passes', () => {
    expect(() => check('GET', 'http://x/api/things/1', json(200, { id: 1 }, { etag: '"a"' }))).not.toThrow();
    expect(() => check('GET', 'http://x/api/things/1', problem(404, 'not_found'))).not.toThrow();
    expect(() => check('DELETE', 'http://x/api/things/1', { status: 204, headers: { 'x-request-id': 'r1' }, text: '' })).not.toThrow();
  });

  it('when the body does not match the schema, then it fails naming the field', () => {
    expect(() => check('GET', 'http://x/api/things/1', json(200, { id: '1' }, { etag: '"a"' }))).toThrow(
      /GET \/api\/things\/1 answered 200 with a body that does not match the OpenAPI document: data\/id must be number/,
    );
  });

  it('when the status is not documented for the operation, then it fails', () => {
    expect(() => check('GET', 'http://x/api/things/1', problem(409, 'conflict'))).toThrow(
      'GET /api/things/1 answered 409, a status the OpenAPI document does not list for GET /api/things/{id}',
    );
  });

  it('when a problem names a code its status does not document, then it fails', () => {
    expect(() => check('GET', 'http://x/api/things/1', problem(404, 'route_not_found'))).toThrow(
      /data\/code must be equal to one of the allowed values/,
    );
  });

  it('when a documented header is missing or the content type differs, then it fails', () => {
    expect(() => check('GET', 'http://x/api/things/1', json(200, { id: 1 }))).toThrow(
      'GET /api/things/1 answered 200 without the documented ETag header',
    );
    expect(() =>
      check('GET', 'http://x/api/things/1', {
        ...json(200, { id: 1 }, { etag: '"a"' }),
        headers: { 'content-type': 'text/plain', 'x-request-id': 'r', etag: '"a"' },
      }),
    ).toThrow('GET /api/things/1 answered 200 as text/plain, not application/json');
  });

  it('when an undocumented path answers other than route_not_found or method_not_allowed, then it fails; outside the prefix nothing is checked', () => {
    expect(() => check('GET', 'http://x/api/things/1/parts', json(200, {}))).toThrow(
      'GET /api/things/1/parts answered 200, but the OpenAPI document has no such operation',
    );
    expect(() => check('GET', 'http://x/api/things/1/parts', problem(404, 'route_not_found'))).not.toThrow();
    expect(() => check('POST', 'http://x/internal/things/1', json(200, {}))).not.toThrow();
  });
});
