import type Koa from 'koa';
import request from 'supertest';
import { servicePrefixes } from '@forum/contracts';
import type { Database } from '@forum/db';
import { createServiceClient, usersApi } from '@forum/service-client';
import { checkedAgent, openApiContract, resourcesHandler, startStubService, STUB_TIME_LIMIT_MS, testLogger, testTokens } from '@forum/testing';
import { createApp } from '../src/app';
import { threadsOpenApi } from '../src/openapi';
import type { ThreadsDatabase } from '../src/threads/threads.repository';

/**
 * The threads app as the specs build it: the test database, the test key pair, and a stand-in
 * users service on a real port that knows the given user ids.
 */
export async function startThreadsTestApp(database: Database<ThreadsDatabase>, userIds: number[]) {
  const users = await startStubService(resourcesHandler('/api/users', new Map(userIds.map((id) => [id, { id, username: `user${id}` }]))));
  const app = createApp({
    database,
    users: usersApi(createServiceClient({ service: 'users', baseUrl: users.url, timeoutMs: STUB_TIME_LIMIT_MS })),
    logger: testLogger(),
    bodyLimit: 4096,
    corsOrigins: ['*'],
    // supertest's peer is loopback: trusted, so a spec can name the client in X-Forwarded-For
    trustedProxies: ['127.0.0.0/8', '::1'],
    verifier: (await testTokens()).verifier,
  });
  return { app, users };
}

const contract = openApiContract(threadsOpenApi(), servicePrefixes.threads);

/** Requests to the app over HTTP with supertest; every response is checked against the OpenAPI document. */
export const contractChecked = (app: Koa) => {
  const server = app.callback();
  return () => checkedAgent(request(server), contract);
};
