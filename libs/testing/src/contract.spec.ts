import { z } from 'zod';
import { openApiDocument } from '@forum/http';
import { openApiContract } from './contract';

const document = openApiDocument({
  service: 'things',
  prefix: '/api/things',
  description: 'A service made up for this spec.',
  operations: [
    {
      method: 'get',
      path: '/api/things/{id}',
      summary: 'Get a thing',
      ids: { id: 'The thing id' },
      success: [{ status: 200, description: 'The thing', schema: z.strictObject({ id: z.number() }), headers: ['ETag'] }],
    },
    { method: 'delete', path: '/api/things/{id}', summary: 'Delete a thing', ids: { id: 'The thing id' }, success: [{ status: 204, description: 'Deleted' }] },
  ],
});
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
    expect(() => check('GET', 'http://x/api/things/1', problem(404, 'route_not_found'))).toThrow(/data\/code must be equal to one of the allowed values/);
  });

  it('when a documented header is missing or the content type differs, then it fails', () => {
    expect(() => check('GET', 'http://x/api/things/1', json(200, { id: 1 }))).toThrow('GET /api/things/1 answered 200 without the documented ETag header');
    expect(() => check('GET', 'http://x/api/things/1', { ...json(200, { id: 1 }, { etag: '"a"' }), headers: { 'content-type': 'text/plain', 'x-request-id': 'r', etag: '"a"' } })).toThrow(
      'GET /api/things/1 answered 200 as text/plain, not application/json',
    );
  });

  it('when an undocumented path answers other than route_not_found or method_not_allowed, then it fails; outside the prefix nothing is checked', () => {
    expect(() => check('GET', 'http://x/api/things/1/parts', json(200, {}))).toThrow('GET /api/things/1/parts answered 200, but the OpenAPI document has no such operation');
    expect(() => check('GET', 'http://x/api/things/1/parts', problem(404, 'route_not_found'))).not.toThrow();
    expect(() => check('POST', 'http://x/internal/things/1', json(200, {}))).not.toThrow();
  });
});
