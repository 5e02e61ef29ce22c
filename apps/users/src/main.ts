import './tracing';
import { publicKeyOf, tokenIssuer, tokenVerifier } from '@forum/auth';
import { openServiceDatabase } from '@forum/db';
import { runService } from '@forum/http';
import { createApp } from './app';
import { usersConfig } from './config';
import { seedDemoUsers } from './demo-data';
import { migrations } from './migrations';
import { passwordHasher } from './users/passwords';
import { usersRepository, type UsersDatabase } from './users/users.repository';

void runService({
  service: 'users',
  config: usersConfig,
  start: async (config, logger) => {
    const tokens = {
      issuer: await tokenIssuer({ privateKeyPem: config.AUTH_PRIVATE_KEY, ttlSeconds: config.AUTH_TOKEN_TTL_SECONDS }),
      verifier: await tokenVerifier(publicKeyOf(config.AUTH_PRIVATE_KEY), config.AUTH_TOKEN_TTL_SECONDS),
    };
    const database = await openServiceDatabase<UsersDatabase>({ service: 'users', ...config }, migrations, logger);
    if (config.DEMO_DATA) {
      const inserted = await seedDemoUsers(usersRepository(database.db), passwordHasher(config.PASSWORD_HASH_COST));
      logger.info({ inserted }, 'demo data');
    }
    const app = createApp({
      database,
      logger,
      cacheBytes: config.READ_CACHE_MB * 1024 * 1024,
      bodyLimit: config.BODY_LIMIT_BYTES,
      corsOrigins: config.CORS_ORIGINS,
      trustedProxies: config.TRUSTED_PROXIES,
      tokens,
      passwordCost: config.PASSWORD_HASH_COST,
      loginLimits: {
        attemptsPerClientPerMinute: config.LOGIN_ATTEMPTS_PER_CLIENT_PER_MINUTE,
        failuresPerUsername: config.LOGIN_FAILURES_PER_USERNAME,
        failureWindowSeconds: config.LOGIN_FAILURE_WINDOW_SECONDS,
      },
      accountLimits: {
        registrationsPerClientPerMinute: config.REGISTRATIONS_PER_CLIENT_PER_MINUTE,
        passwordChangesPerClientPerMinute: config.PASSWORD_CHANGES_PER_CLIENT_PER_MINUTE,
      },
      hashSlots: {
        signIn: { atOnce: config.SIGN_IN_HASHES_AT_ONCE, queue: config.PASSWORD_HASH_QUEUE },
        accounts: { atOnce: config.ACCOUNT_HASHES_AT_ONCE, queue: config.PASSWORD_HASH_QUEUE },
      },
    });
    return { app, close: database.close };
  },
});
