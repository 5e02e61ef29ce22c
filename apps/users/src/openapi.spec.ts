import { resolve } from 'node:path';
import { committedDocument, openApiLint, useTestDatabase } from '@forum/testing';
import { testUsersApi } from '../test/users-api';
import { migrations } from './migrations';
import type { UsersDatabase } from './users/users.repository';

describe('users OpenAPI document', () => {
  const database = useTestDatabase<UsersDatabase>('sqlite', migrations);
  const served = async () => {
    const res = await (await testUsersApi(database()))().get('/api/users/openapi.json');
    expect(res.status).toBe(200);
    return res.body as { openapi: string; paths: Record<string, object> };
  };

  it('when /api/users/openapi.json is fetched, then it is the committed apps/users/openapi.json (npm run openapi rewrites it)', async () => {
    const document = await served();
    expect(document).toEqual(committedDocument(resolve(__dirname, '../openapi.json'), document));
  });

  it('when the document is validated with @readme/openapi-parser, then it is valid OpenAPI 3.1 without warnings', async () => {
    const document = await served();
    expect(document.openapi).toBe('3.1.0');
    expect(await openApiLint(document)).toBe('');
  });

  it('when the document is read, then it describes every route', async () => {
    expect(Object.keys((await served()).paths).sort()).toEqual([
      '/api/users',
      '/api/users/health',
      '/api/users/openapi.json',
      '/api/users/ready',
      '/api/users/session',
      '/api/users/{id}',
    ]);
  });
});
