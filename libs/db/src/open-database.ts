import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { CamelCasePlugin, Kysely, Migrator, PostgresDialect, SqliteDialect, sql, type Migration } from 'kysely';
import { Pool, types } from 'pg';
import type { DatabaseTarget, Engine } from './target';

/** A migration set is written once and told which engine it runs on for the few types that differ. */
export type MigrationSet = (engine: Engine) => Record<string, Migration>;

export interface Database<DB> {
  readonly db: Kysely<DB>;
  readonly engine: Engine;
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

export async function openDatabase<DB>(target: DatabaseTarget, migrations: MigrationSet): Promise<Database<DB>> {
  const db = new Kysely<DB>({ dialect: createDialect(target), plugins: [new CamelCasePlugin()] });
  try {
    if (target.engine === 'postgres') await ensureSchema(db, target.schema);
    await migrate(db, target, migrations);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return {
    db,
    engine: target.engine,
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
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
        return database;
      },
    });
  }
  return new PostgresDialect({
    pool: new Pool({
      ...target.connection,
      max: target.poolSize,
      connectionTimeoutMillis: 5000,
      idleTimeoutMillis: 30000,
      types: pgTypes,
      options: `-c search_path=${target.schema} -c statement_timeout=10000`,
    }),
  });
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

/** True for a unique-constraint violation on either engine. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === '42P06';
}
