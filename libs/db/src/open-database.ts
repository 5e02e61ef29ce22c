import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { CamelCasePlugin, Kysely, Migrator, PostgresDialect, SqliteDialect, sql, type Migration } from 'kysely';
import { Pool, types } from 'pg';
import { resolveDatabaseTarget, type DatabaseSettings, type DatabaseTarget, type Engine } from './target';
import { preparingPool, reusingStatements } from './prepared-statements';
import { localInvalidations, postgresInvalidations, type Invalidations } from './read-cache';
import { isConnectionError, mapUnavailable } from './unavailable';

/** A migration set is written once and told which engine it runs on for the few types that differ. */
export type MigrationSet = (engine: Engine) => Record<string, Migration>;

export interface Database<DB> {
  readonly db: Kysely<DB>;
  readonly engine: Engine;
  /** Announces row changes to every process serving this data, for their read caches. */
  readonly invalidations: Invalidations;
  /** One round trip to the database, for readiness checks. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

// ids are bigint in PostgreSQL and stay below 2^53; timestamps travel as ISO-8601 strings
// on both engines, so repositories see the same values whatever the engine.
const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === types.builtins.INT8) return (value: string) => Number(value);
    if (oid === types.builtins.TIMESTAMPTZ) return (value: string) => new Date(value).toISOString();
    return types.getTypeParser(oid, format);
  },
} as const;

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
      if (attempt >= attempts || !isConnectionError((error as { cause?: unknown }).cause ?? error)) throw error;
      const delayMs = (options.backoffMs ?? 500) * 2 ** (attempt - 1);
      options.onRetry?.(attempt, delayMs, error);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}

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

async function openOnce<DB>(target: DatabaseTarget, migrations: MigrationSet, onListenError: (error: unknown) => void): Promise<Database<DB>> {
  const db = new Kysely<DB>({ dialect: mapUnavailable(createDialect(target)), plugins: [new CamelCasePlugin()] });
  try {
    if (target.engine === 'postgres') await ensureSchema(db, target.schema);
    await migrate(db, target, migrations);
  } catch (error) {
    await db.destroy().catch(() => undefined);
    throw error;
  }
  const invalidations =
    target.engine === 'postgres'
      ? postgresInvalidations({
          connection: target.connection,
          channel: `forum_changes_${target.schema}`,
          notify: async (channel, payload) => {
            await sql`select pg_notify(${channel}, ${payload})`.execute(db);
          },
          onError: onListenError,
        })
      : localInvalidations();
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

function createDialect(target: DatabaseTarget) {
  if (target.engine === 'sqlite') {
    mkdirSync(dirname(target.file), { recursive: true });
    return new SqliteDialect({
      database: async () => {
        const database = new SQLite(target.file);
        // WAL lets readers run beside the writer; NORMAL sync survives a process crash
        // (the data is in the WAL file) and a busy timeout absorbs short lock waits.
        database.pragma('journal_mode = WAL');
        database.pragma('synchronous = NORMAL');
        database.pragma('busy_timeout = 5000');
        database.pragma('foreign_keys = ON');
        return reusingStatements(database);
      },
    });
  }
  const pool = new Pool({
    ...target.connection,
    max: target.poolSize,
    // Fail fast when the database is gone: requests answer 503 instead of waiting.
    connectionTimeoutMillis: 2000,
    idleTimeoutMillis: 30000,
    types: pgTypes,
    options: `-c search_path=${target.schema} -c statement_timeout=10000`,
  });
  // A client whose server goes away emits 'error': on the pool when idle, on the client itself
  // while checked out (the pool then has no listener on it). Unhandled, either ends the process.
  // The failed query still rejects (503); the pool drops the dead client and reconnects later.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  return new PostgresDialect({ pool: preparingPool(pool) });
}

async function ensureSchema<DB>(db: Kysely<DB>, schema: string): Promise<void> {
  try {
    await db.schema.createSchema(schema).ifNotExists().execute();
  } catch (error) {
    // Several tasks starting at once race on CREATE SCHEMA IF NOT EXISTS; losing is fine.
    if (!isUniqueViolation(error)) throw error;
  }
}

async function migrate<DB>(db: Kysely<DB>, target: DatabaseTarget, migrations: MigrationSet): Promise<void> {
  // On PostgreSQL Kysely's migrator holds an advisory lock, so tasks that start together apply
  // each migration exactly once. An SQLite file belongs to one process (the embedded engine of
  // a single local service), so it needs no lock.
  const set = migrations(target.engine);
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => set },
    ...(target.engine === 'postgres' ? { migrationTableSchema: target.schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`Database migration ${failed} failed: ${(error as Error).message ?? String(error)}`, { cause: error });
  }
}

// Node's codes for a server certificate it does not trust or that names another host.
const certificateCodes = /^(ERR_TLS_CERT_ALTNAME_INVALID|CERT_[A-Z_]+|UNABLE_TO_[A-Z_]+|SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT)$/;

function isCertificateError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && certificateCodes.test(code);
}

/** A refused certificate is a configuration problem, never retried and never downgraded to plain TCP. */
function certificateRefused(error: unknown): Error {
  const { code, message } = error as { code: string; message: string };
  return Object.assign(
    new Error(
      `The database server's TLS certificate was refused (${code}: ${message}). With DB_SECRET it must be signed by a CA in DB_CA_FILE and name the host; with DATABASE_URL, by the sslrootcert file.`,
      { cause: error },
    ),
    { code: 'database_certificate_refused' },
  );
}

/** True for a unique-constraint violation on either engine. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === '42P06';
}
