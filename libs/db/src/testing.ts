import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import type { MigrationSet } from './migrate';
import { openDatabase, type Database } from './open-database';
import type { DatabaseTarget, Engine } from './target';

// Test databases, imported by tests only (as `@forum/db/testing`), never by a service.

/** SQLite always; PostgreSQL too whenever DATABASE_URL points at a server. */
export const testEngines: Engine[] = process.env['DATABASE_URL'] ? ['sqlite', 'postgres'] : ['sqlite'];

export interface TestTarget {
  target: DatabaseTarget;
  /** Removes every trace of the database: the SQLite folder or the PostgreSQL schema. */
  drop(): Promise<void>;
}

/** A database nobody else uses: a temporary SQLite file, or a fresh PostgreSQL schema. */
export async function createTestTarget(engine: Engine): Promise<TestTarget> {
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'forum-test-'));
    return { target: { engine, file: join(dir, 'test.sqlite') }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const connectionString = process.env['DATABASE_URL'];
  if (!connectionString) throw new Error('DATABASE_URL is not set');
  const schema = `test_${randomBytes(6).toString('hex')}`;
  return {
    target: { engine, connection: { connectionString }, schema, poolSize: 4 },
    drop: async () => {
      const client = new Client({ connectionString });
      await client.connect();
      try {
        await client.query(`drop schema if exists ${schema} cascade`);
      } finally {
        await client.end();
      }
    },
  };
}

/**
 * Registers hooks that give every test a freshly migrated database on `engine` and remove it
 * afterwards. Returns the accessor for the current test's database.
 */
export function useTestDatabase<DB>(engine: Engine, migrations: MigrationSet): () => Database<DB> {
  let current: { database: Database<DB>; target: TestTarget } | undefined;
  beforeEach(async () => {
    const target = await createTestTarget(engine);
    current = { database: await openDatabase<DB>(target.target, migrations), target };
  });
  afterEach(async () => {
    if (!current) return;
    await current.database.close();
    await current.target.drop();
    current = undefined;
  });
  return () => {
    if (!current) throw new Error('useTestDatabase: no database outside a test');
    return current.database;
  };
}
export * from './tcp-proxy';

export { createTestCa, issueServerCertificate, startTlsFront, type TestCertificate, type TlsFront } from './tls-front';
