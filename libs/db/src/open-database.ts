import { Kysely, sql } from 'kysely';
import { certificateRefused, isCertificateError } from './certificate-refused';
import { createDialect } from './dialect';
import { ensureSchema, migrate, type MigrationSet } from './migrate';
import { localInvalidations, type Invalidations } from './invalidations';
import { postgresInvalidations } from './postgres-invalidations';
import { camelCase } from './row-names';
import type { DatabaseTarget, Engine } from './target';
import { isConnectionError, mapUnavailable } from './unavailable';

export interface Database<DB> {
  readonly db: Kysely<DB>;
  readonly engine: Engine;
  /** Announces row changes to every process serving this data, for their read caches. */
  readonly invalidations: Invalidations;
  /** One round trip to the database, for readiness checks. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Tries before giving up when the database cannot be reached at start-up. */
  attempts?: number;
  /** First wait between tries; doubles each time. */
  backoffMs?: number;
  onRetry?: (attempt: number, delayMs: number, error: unknown) => void;
  /** The connection that listens for other tasks' changes failed (it reconnects by itself). */
  onListenError?: (error: unknown) => void;
}

/**
 * Connects, creates the service's schema and applies its migrations. A database that cannot be
 * reached yet (a task starting before Aurora resumes) is retried with exponential backoff.
 */
export async function openDatabase<DB>(target: DatabaseTarget, migrations: MigrationSet, options: OpenOptions = {}): Promise<Database<DB>> {
  const attempts = options.attempts ?? 1;
  for (let attempt = 1; ; attempt++) {
    try {
      return await openOnce<DB>(target, migrations, options.onListenError ?? (() => undefined));
    } catch (error) {
      const cause = (error as { cause?: unknown }).cause;
      if (isCertificateError(error) || isCertificateError(cause)) throw certificateRefused(isCertificateError(error) ? error : cause);
      if (attempt >= attempts || !isConnectionError(cause ?? error)) throw error;
      const delayMs = (options.backoffMs ?? 500) * 2 ** (attempt - 1);
      options.onRetry?.(attempt, delayMs, error);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}

async function openOnce<DB>(target: DatabaseTarget, migrations: MigrationSet, onListenError: (error: unknown) => void): Promise<Database<DB>> {
  const db = new Kysely<DB>({ dialect: mapUnavailable(createDialect(target)), plugins: [camelCase] });
  try {
    if (target.engine === 'postgres') await ensureSchema(db, target.schema);
    await migrate(db, target, migrations);
  } catch (error) {
    await db.destroy().catch(() => undefined);
    throw error;
  }
  const invalidations = invalidationsFor(target, db, onListenError);
  return {
    db,
    engine: target.engine,
    invalidations,
    ping: async () => {
      await sql`select 1`.execute(db).catch((error: unknown) => {
        throw isCertificateError(error) ? certificateRefused(error) : error;
      });
    },
    close: async () => {
      await invalidations.close();
      await db.destroy();
    },
  };
}

// Several tasks share a PostgreSQL schema and hear each other's changes on its channel; an
// SQLite file has one process, which only needs to tell itself.
function invalidationsFor<DB>(target: DatabaseTarget, db: Kysely<DB>, onError: (error: unknown) => void): Invalidations {
  if (target.engine === 'sqlite') return localInvalidations();
  return postgresInvalidations({
    connection: target.connection,
    channel: `forum_changes_${target.schema}`,
    notify: async (channel, payloads) => {
      await sql`select pg_notify(${channel}, payload) from unnest(${payloads}::text[]) as payload`.execute(db);
    },
    onError,
  });
}
