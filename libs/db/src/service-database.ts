import { openDatabase, type Database } from './open-database';
import type { MigrationSet } from './migrate';
import { resolveDatabaseTarget, type DatabaseSettings } from './target';

/** How a service opens its database at start-up: from its configuration, with retries logged. */
export async function openServiceDatabase<DB>(
  settings: DatabaseSettings,
  migrations: MigrationSet,
  logger: { warn(details: object, message: string): void },
): Promise<Database<DB>> {
  return await openDatabase<DB>(resolveDatabaseTarget(settings), migrations, {
    attempts: 6,
    backoffMs: 500,
    onRetry: (attempt, delayMs, err) => logger.warn({ err, attempt, delayMs }, 'database unreachable, retrying'),
    onListenError: (err) => logger.warn({ err }, 'cache invalidation listener lost; caches bypassed until it reconnects'),
  });
}
