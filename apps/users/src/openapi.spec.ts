import { resolve } from 'node:path';
import { documentProperties, useTestDatabase } from '@forum/testing';
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

  documentProperties({
    service: 'users',
    committedFile: resolve(__dirname, '../openapi.json'),
    served,
    routes: ['/api/users', '/api/users/health', '/api/users/openapi.json', '/api/users/ready', '/api/users/session', '/api/users/{id}'],
  });
});
