import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

// Throwaway databases for tests. This project imports nothing from @forum/db, so the db lib's
// own specs can use it without a dependency cycle; the targets below are the shapes of
// @forum/db's DatabaseTarget, and every use passes them to openDatabase, so the compiler keeps
// the two in step. Reading DATABASE_URL here is the tests' choice of server, not configuration.

export type TestEngine = 'sqlite' | 'postgres';

/** SQLite always; PostgreSQL too whenever DATABASE_URL points at a server. */
export const testEngines: TestEngine[] = process.env['DATABASE_URL'] ? ['sqlite', 'postgres'] : ['sqlite'];

export type TestDatabaseTarget =
  { engine: 'sqlite'; file: string } | { engine: 'postgres'; connection: { connectionString: string }; schema: string; poolSize: number };

export interface TestTarget {
  target: TestDatabaseTarget;
  /** Removes every trace of the database: the SQLite folder or the PostgreSQL schema. */
  drop(): Promise<void>;
}

/** A database nobody else uses: a temporary SQLite file, or a fresh PostgreSQL schema. */
export async function createTestTarget(engine: TestEngine): Promise<TestTarget> {
  return engine === 'sqlite' ? sqliteTarget() : postgresTarget();
}

function sqliteTarget(): TestTarget {
  const dir = mkdtempSync(join(tmpdir(), 'forum-test-'));
  return { target: { engine: 'sqlite', file: join(dir, 'test.sqlite') }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
}

function postgresTarget(): TestTarget {
  const connectionString = process.env['DATABASE_URL'];
  if (!connectionString) throw new Error('DATABASE_URL is not set');
  const schema = `test_${randomBytes(6).toString('hex')}`;
  return {
    target: { engine: 'postgres', connection: { connectionString }, schema, poolSize: 4 },
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

/** The same PostgreSQL schema reached at another address (a proxy in front of the server). */
export function reachedThrough(target: TestDatabaseTarget, connectionString: string): Extract<TestDatabaseTarget, { engine: 'postgres' }> {
  if (target.engine !== 'postgres') throw new Error('only a PostgreSQL target can be reached through another address');
  return { ...target, connection: { connectionString } };
}
