import { resolve } from 'node:path';
import { documentProperties, useTestDatabase } from '@forum/testing';
import { contractChecked, startThreadsTestApp } from '../test/threads-app';
import { migrations } from './migrations';
import type { ThreadsDatabase } from './threads/threads.repository';

describe('threads OpenAPI document', () => {
  const database = useTestDatabase<ThreadsDatabase>('sqlite', migrations);
  const served = async () => {
    const started = await startThreadsTestApp(database(), []);
    const res = await contractChecked(started.app)().get('/api/threads/openapi.json');
    await started.users.close();
    expect(res.status).toBe(200);
    return res.body as { openapi: string; paths: Record<string, object> };
  };

  documentProperties({
    service: 'threads',
    committedFile: resolve(__dirname, '../openapi.json'),
    served,
    routes: ['/api/threads', '/api/threads/health', '/api/threads/openapi.json', '/api/threads/ready', '/api/threads/{id}'],
    what: 'every public route and none of the internal ones',
  });
});
