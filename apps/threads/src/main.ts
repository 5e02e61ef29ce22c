import './tracing';
import { tokenVerifier } from '@forum/auth';
import { openServiceDatabase } from '@forum/db';
import { runService } from '@forum/http';
import { createServiceClient, usersApi } from '@forum/service-client';
import { createApp } from './app';
import { threadsConfig } from './config';
import { seedDemoThreads } from './demo-data';
import { migrations } from './migrations';
import { threadsRepository, type ThreadsDatabase } from './threads/threads.repository';

void runService({
  service: 'threads',
  config: threadsConfig,
  start: async (config, logger) => {
    const database = await openServiceDatabase<ThreadsDatabase>({ service: 'threads', ...config }, migrations, logger);
    if (config.DEMO_DATA) logger.info({ inserted: await seedDemoThreads(threadsRepository(database.db)) }, 'demo data');
    const users = usersApi(createServiceClient({ service: 'users', baseUrl: config.USERS_URL, timeoutMs: config.UPSTREAM_TIMEOUT_MS }));
    const app = createApp({
      database,
      users,
      logger,
      cacheBytes: config.READ_CACHE_MB * 1024 * 1024,
      bodyLimit: config.BODY_LIMIT_BYTES,
      corsOrigins: config.CORS_ORIGINS,
      trustedProxies: config.TRUSTED_PROXIES,
      verifier: await tokenVerifier(config.AUTH_PUBLIC_KEY, config.AUTH_TOKEN_TTL_SECONDS),
    });
    const close = async () => {
      await users.close();
      await database.close();
    };
    return { app, close };
  },
});
