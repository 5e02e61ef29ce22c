import { openServiceDatabase } from '@forum/db';
import { runService } from '@forum/http';
import { createApp } from './app';
import { usersConfig } from './config';
import { seedDemoUsers } from './demo-data';
import { migrations } from './migrations';
import { usersRepository, type UsersDatabase } from './users/users.repository';

void runService({
  service: 'users',
  config: usersConfig,
  start: async (config, logger) => {
    const database = await openServiceDatabase<UsersDatabase>({ service: 'users', ...config }, migrations, logger);
    if (config.DEMO_DATA) logger.info({ inserted: await seedDemoUsers(usersRepository(database.db)) }, 'demo data');
    const app = createApp({ database, logger, bodyLimit: config.BODY_LIMIT_BYTES, corsOrigins: config.CORS_ORIGINS });
    return { app, close: database.close };
  },
});
