import './tracing';
import { tokenVerifier } from '@forum/auth';
import { openServiceDatabase } from '@forum/db';
import { runService } from '@forum/http';
import { createServiceClient, threadsApi, usersApi } from '@forum/service-client';
import { createApp } from './app';
import { postsConfig } from './config';
import { seedDemoPosts } from './demo-data';
import { migrations } from './migrations';
import { postsRepository, type PostsDatabase } from './posts/posts.repository';

void runService({
  service: 'posts',
  config: postsConfig,
  start: async (config, logger) => {
    const database = await openServiceDatabase<PostsDatabase>({ service: 'posts', ...config }, migrations, logger);
    if (config.DEMO_DATA) logger.info({ inserted: await seedDemoPosts(postsRepository(database.db)) }, 'demo data');
    const client = (service: string, baseUrl: string) => createServiceClient({ service, baseUrl, timeoutMs: config.UPSTREAM_TIMEOUT_MS });
    const threads = threadsApi(client('threads', config.THREADS_URL));
    const users = usersApi(client('users', config.USERS_URL));
    const app = createApp({
      database,
      threads,
      users,
      logger,
      cacheBytes: config.READ_CACHE_MB * 1024 * 1024,
      bodyLimit: config.BODY_LIMIT_BYTES,
      corsOrigins: config.CORS_ORIGINS,
      trustedProxies: config.TRUSTED_PROXIES,
      verifier: await tokenVerifier(config.AUTH_PUBLIC_KEY, config.AUTH_TOKEN_TTL_SECONDS),
    });
    // The calls still in flight (a thread bump after its post was answered) finish first.
    const close = async () => {
      await Promise.all([threads.close(), users.close()]);
      await database.close();
    };
    return { app, close };
  },
});
