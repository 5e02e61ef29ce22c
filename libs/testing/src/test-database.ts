import { openDatabase, type Database, type MigrationSet } from '@forum/db';
import { createTestTarget, type TestEngine, type TestTarget } from '@forum/db/testing';

/**
 * Registers hooks that give every test a freshly migrated database on `engine` and remove it
 * afterwards. Returns the accessor for the current test's database.
 */
export function useTestDatabase<DB>(engine: TestEngine, migrations: MigrationSet): () => Database<DB> {
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
