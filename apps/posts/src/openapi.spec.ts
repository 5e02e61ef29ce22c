import { resolve } from 'node:path';
import { documentProperties, useTestDatabase } from '@forum/testing';
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

  documentProperties({
    service: 'posts',
    committedFile: resolve(__dirname, '../openapi.json'),
    served,
    routes: [
      '/api/posts',
      '/api/posts/by-user/{userId}',
      '/api/posts/health',
      '/api/posts/in-thread/{threadId}',
      '/api/posts/openapi.json',
      '/api/posts/ready',
      '/api/posts/{id}',
    ],
  });
});
