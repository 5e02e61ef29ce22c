import request from 'supertest';
import type { Database } from '@forum/db';
import { testLogger, testTokens } from '@forum/testing';
import { createApp, type UsersAppDeps } from '../src/app';
import type { UsersDatabase } from '../src/users/users.repository';

/**
 * The users app as the specs drive it: the real app over HTTP (supertest) on the test database,
 * with the test key pair and the cheapest scrypt cost Node allows for speed (the stored hash
 * names its cost, so nothing else differs).
 */
export async function testUsersApi(database: Database<UsersDatabase>, overrides: Partial<UsersAppDeps> = {}) {
  const app = createApp({
    database,
    logger: testLogger(),
    bodyLimit: 2048,
    corsOrigins: ['*'],
    tokens: await testTokens(),
    passwordCost: 10,
    loginLimits: { attemptsPerClientPerMinute: 1000, failuresPerUsername: 1000, failureWindowSeconds: 60 },
    ...overrides,
  });
  const server = app.callback();
  return () => request(server);
}
