import type Koa from 'koa';
import request from 'supertest';
import { servicePrefixes } from '@forum/contracts';
import type { Database } from '@forum/db';
import { createServiceClient, threadsApi, usersApi } from '@forum/service-client';
import { checkedAgent, openApiContract, resourcesHandler, startStubService, STUB_TIME_LIMIT_MS, testLogger, testTokens } from '@forum/testing';
import { createApp } from '../src/app';
import { postsOpenApi } from '../src/openapi';
import type { PostsDatabase } from '../src/posts/posts.repository';

/**
 * The posts app as the specs build it: the test database, the test key pair, and stand-in
 * threads and users services on real ports that know the given ids.
 */
export async function startPostsTestApp(database: Database<PostsDatabase>, known: { threadIds: number[]; userIds: number[] }) {
  const threadsAnswer = resourcesHandler(['/api/threads', '/internal/threads'], new Map(known.threadIds.map((id) => [id, { id }])));
  const threads = await startStubService(threadsAnswer);
  const users = await startStubService(resourcesHandler('/api/users', new Map(known.userIds.map((id) => [id, { id }]))));
  const client = (service: string, baseUrl: string) => createServiceClient({ service, baseUrl, timeoutMs: STUB_TIME_LIMIT_MS });
  const app = createApp({
    database,
    threads: threadsApi(client('threads', threads.url)),
    users: usersApi(client('users', users.url)),
    logger: testLogger(),
    bodyLimit: 65536,
    corsOrigins: ['*'],
    // supertest's peer is loopback: trusted, so a spec can name the client in X-Forwarded-For
    trustedProxies: ['127.0.0.0/8', '::1'],
    verifier: (await testTokens()).verifier,
  });
  return { app, threads, users, threadsAnswer };
}

const contract = openApiContract(postsOpenApi(), servicePrefixes.posts);

/** Requests to the app over HTTP with supertest; every response is checked against the OpenAPI document. */
export const contractChecked = (app: Koa) => {
  const server = app.callback();
  return () => checkedAgent(request(server), contract);
};
