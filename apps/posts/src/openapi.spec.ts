import { resolve } from 'node:path';
import { committedDocument, openApiLint, useTestDatabase } from '@forum/testing';
import { contractChecked, startPostsTestApp } from '../test/posts-app';
import { migrations } from './migrations';
import type { PostsDatabase } from './posts/posts.repository';

describe('posts OpenAPI document', () => {
  const database = useTestDatabase<PostsDatabase>('sqlite', migrations);
  const served = async () => {
    const started = await startPostsTestApp(database(), { threadIds: [], userIds: [] });
    const res = await contractChecked(started.app)().get('/api/posts/openapi.json');
    await Promise.all([started.users.close(), started.threads.close()]);
    expect(res.status).toBe(200);
    return res.body as { openapi: string; paths: Record<string, object> };
  };

  it('when /api/posts/openapi.json is fetched, then it is the committed apps/posts/openapi.json (npm run openapi rewrites it)', async () => {
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
      '/api/posts',
      '/api/posts/by-user/{userId}',
      '/api/posts/health',
      '/api/posts/in-thread/{threadId}',
      '/api/posts/openapi.json',
      '/api/posts/ready',
      '/api/posts/{id}',
    ]);
  });
});
