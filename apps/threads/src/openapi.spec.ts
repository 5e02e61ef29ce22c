import { resolve } from 'node:path';
import { committedDocument, openApiLint, useTestDatabase } from '@forum/testing';
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

  it('when /api/threads/openapi.json is fetched, then it is the committed apps/threads/openapi.json (npm run openapi rewrites it)', async () => {
    const document = await served();
    expect(document).toEqual(committedDocument(resolve(__dirname, '../openapi.json'), document));
  });

  it('when the document is validated with @readme/openapi-parser, then it is valid OpenAPI 3.1 without warnings', async () => {
    const document = await served();
    expect(document.openapi).toBe('3.1.0');
    expect(await openApiLint(document)).toBe('');
  });

  it('when the document is read, then it describes every public route and none of the internal ones', async () => {
    expect(Object.keys((await served()).paths).sort()).toEqual([
      '/api/threads',
      '/api/threads/health',
      '/api/threads/openapi.json',
      '/api/threads/ready',
      '/api/threads/{id}',
    ]);
  });
});
