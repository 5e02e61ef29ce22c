import { servicePrefixes } from '@forum/contracts';
import type { Database } from '@forum/db';
import { createHttpApp, type Logger } from '@forum/http';
import { usersRepository, type UsersDatabase } from './users/users.repository';
import { usersRoutes } from './users/users.routes';
import { usersService } from './users/users.service';

export interface UsersAppDeps {
  database: Database<UsersDatabase>;
  logger: Logger;
  bodyLimit: number;
  corsOrigins: string[];
}

/** The users service as a Koa app; it never listens, so tests drive it in-process. */
export function createApp(deps: UsersAppDeps) {
  const users = usersService(usersRepository(deps.database.db));
  return createHttpApp({
    prefix: servicePrefixes.users,
    logger: deps.logger,
    bodyLimit: deps.bodyLimit,
    corsOrigins: deps.corsOrigins,
    checkReady: deps.database.ping,
    routes: usersRoutes(users),
  });
}
