import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { PostgresDialect, SqliteDialect, type Dialect } from 'kysely';
import { Pool } from 'pg';
import { pgTypes } from './pg-types';
import { preparingPool, reusingStatements } from './prepared-statements';
import type { DatabaseTarget } from './target';

/** The Kysely dialect of a target: an SQLite file or a PostgreSQL pool, tuned for a service. */
export function createDialect(target: DatabaseTarget): Dialect {
  return target.engine === 'sqlite' ? sqliteDialect(target.file) : postgresDialect(target);
}

// Pages of write-ahead log after which a commit checkpoints it into the database file (SQLite's
// default is 1,000). Each checkpoint waits for an fsync on the event loop; a quarter as many made a
// stream of updates faster and steadier (docs/performance.md, change 19), for at most about 16 MB
// of log between checkpoints.
export const SQLITE_CHECKPOINT_PAGES = 4000;

// SQLite's page cache of a service's connection, in KiB: half the 16 MiB better-sqlite3 builds
// SQLite with. The rows read most are in the service's read cache already; this keeps the B-trees'
// upper pages: a thread's page costs 1-2 µs more than with 16 MiB and 3-5 µs less than with 4 MiB,
// and a service's peak is 8-10 MB lower (docs/performance.md, change 27).
export const SQLITE_CACHE_KIB = 8192;

function sqliteDialect(file: string): Dialect {
  mkdirSync(dirname(file), { recursive: true });
  return new SqliteDialect({
    database: async () => {
      const database = new SQLite(file);
      // WAL lets readers run beside the writer; NORMAL sync survives a process crash
      // (the data is in the WAL file) and a busy timeout absorbs short lock waits.
      database.pragma('journal_mode = WAL');
      database.pragma('synchronous = NORMAL');
      database.pragma('busy_timeout = 5000');
      database.pragma(`wal_autocheckpoint = ${SQLITE_CHECKPOINT_PAGES}`);
      database.pragma('foreign_keys = ON');
      database.pragma(`cache_size = -${SQLITE_CACHE_KIB}`);
      return reusingStatements(database);
    },
  });
}

function postgresDialect(target: Extract<DatabaseTarget, { engine: 'postgres' }>): Dialect {
  const pool = new Pool({
    ...target.connection,
    max: target.poolSize,
    // Fail fast when the database is gone: requests answer 503 instead of waiting.
    connectionTimeoutMillis: 2000,
    idleTimeoutMillis: 30000,
    types: pgTypes,
    options: `-c search_path=${target.schema} -c statement_timeout=10000 -c TimeZone=UTC`,
  });
  // A client whose server goes away emits 'error': on the pool when idle, on the client itself
  // while checked out (the pool then has no listener on it). Unhandled, either ends the process.
  // The failed query still rejects (503); the pool drops the dead client and reconnects later.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  return new PostgresDialect({ pool: preparingPool(pool) });
}
