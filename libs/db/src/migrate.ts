import { DEFAULT_MIGRATION_TABLE, Migrator, sql, type Kysely, type Migration } from 'kysely';
import { isDuplicateSchema, isMissingSchema, isUniqueViolation } from './driver-errors';
import type { DatabaseTarget, Engine } from './target';

/** A migration set is written once and told which engine it runs on for the few types that differ. */
export type MigrationSet = (engine: Engine) => Record<string, Migration>;

/** Creates the service's PostgreSQL schema unless it exists. */
export async function ensureSchema<DB>(db: Kysely<DB>, schema: string): Promise<void> {
  try {
    await db.schema.createSchema(schema).ifNotExists().execute();
  } catch (error) {
    // Several tasks starting at once race on CREATE SCHEMA IF NOT EXISTS; the loser sees either
    // the catalog's unique index (23505) or duplicate_schema (42P06). Either way the schema is there.
    if (!isUniqueViolation(error) && !isDuplicateSchema(error)) throw error;
  }
}

/** Applies the migrations not applied yet; a failure names the migration that failed. */
export async function migrate<DB>(db: Kysely<DB>, target: DatabaseTarget, migrations: MigrationSet): Promise<void> {
  // On PostgreSQL Kysely's migrator holds an advisory lock, so tasks that start together apply
  // each migration exactly once. An SQLite file belongs to one process (the embedded engine of
  // a single local service), so it needs no lock.
  const set = migrations(target.engine);
  const schema = target.engine === 'postgres' ? target.schema : undefined;
  if (await allApplied(db, schema, Object.keys(set))) return;
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => set },
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  for (let attempt = 1; ; attempt++) {
    const { error, results } = await migrator.migrateToLatest();
    if (!error) return;
    // Before it takes its lock, the migrator looks for its tables through Kysely's introspector,
    // which reads the tables of every schema of the database and checks each schema by name: a
    // schema someone else drops meanwhile fails that look with 3F000, naming that schema. Ours
    // exists (ensureSchema), and whatever failed rolled back, so the run is tried again.
    if (isMissingSchema(error) && attempt < MOST_ATTEMPTS) continue;
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`Database migration ${failed} failed: ${(error as Error).message ?? String(error)}`, { cause: error });
  }
}

/** Runs of the migrator, when other schemas are dropped while it runs, before its error stands. */
const MOST_ATTEMPTS = 10;

/**
 * Whether the migrations table lists exactly the set's migrations: how almost every start finds
 * it. One query then replaces the migrator's checks (on PostgreSQL, catalogue queries for its two
 * tables, the lock and the list: 12-49 ms of a task's start here). Anything else, a missing table
 * included, goes through the migrator, which applies what is new or says what does not match.
 */
async function allApplied<DB>(db: Kysely<DB>, schema: string | undefined, names: string[]): Promise<boolean> {
  const table = sql.table(schema ? `${schema}.${DEFAULT_MIGRATION_TABLE}` : DEFAULT_MIGRATION_TABLE);
  try {
    const { rows } = await sql<{ name: string }>`select name from ${table}`.execute(db);
    const applied = new Set(rows.map((row) => row.name));
    return applied.size === names.length && names.every((name) => applied.has(name));
  } catch {
    return false;
  }
}
