import request from 'supertest';
import { servicePrefixes } from '@forum/contracts';
import type { Database } from '@forum/db';
import { checkedAgent, openApiContract, testLogger, testTokens } from '@forum/testing';
import { createApp, type UsersAppDeps } from '../src/app';
import { usersOpenApi } from '../src/openapi';
import type { UsersDatabase } from '../src/users/users.repository';

/**
 * The users app as the specs build it: the test database, the test key pair, and the cheapest
 * scrypt cost Node allows for speed (a stored hash names its cost, so nothing else differs).
 */
export async function testUsersApp(database: Database<UsersDatabase>, overrides: Partial<UsersAppDeps> = {}) {
  return createApp({
    database,
    logger: testLogger(),
    bodyLimit: 2048,
    corsOrigins: ['*'],
    // supertest's peer is loopback: trusted, so a spec can name the client in X-Forwarded-For
    trustedProxies: ['127.0.0.0/8', '::1'],
    tokens: await testTokens(),
    passwordCost: 10,
    loginLimits: { attemptsPerClientPerMinute: 1000, failuresPerUsername: 1000, failureWindowSeconds: 60 },
    accountLimits: { registrationsPerClientPerMinute: 1000, passwordChangesPerClientPerMinute: 1000 },
    hashSlots: { signIn: { atOnce: 4, queue: 1000 }, accounts: { atOnce: 4, queue: 1000 } },
    ...overrides,
  });
}

const contract = openApiContract(usersOpenApi(), servicePrefixes.users);

/** The same app driven over HTTP with supertest; every response is checked against the OpenAPI document. */
export async function testUsersApi(database: Database<UsersDatabase>, overrides: Partial<UsersAppDeps> = {}) {
  const server = (await testUsersApp(database, overrides)).callback();
  return () => checkedAgent(request(server), contract);
}
