import { sql, type Generated, type Kysely } from 'kysely';
import { Client } from 'pg';
import { createTestTarget, testEngines } from '@forum/db/testing';
import { columnTypes } from './columns';
import { SQLITE_CACHE_KIB, SQLITE_CHECKPOINT_PAGES } from './dialect';
import { isUniqueViolation } from './driver-errors';
import type { MigrationSet } from './migrate';
import { openDatabase } from './open-database';
import { openServiceDatabase } from './service-database';

interface NotesTable {
  id: Generated<number>;
  title: string;
  createdAt: string;
}

const migrations: MigrationSet = (engine) => {
  const t = columnTypes(engine);
  return {
    '001_notes': {
      up: async (db: Kysely<unknown>) => {
        await t
          .id(db.schema.createTable('notes'))
          .addColumn('title', 'text', (c) => c.notNull())
          .addColumn('created_at', t.timestamp, (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('notes_title_key')
          .on('notes')
          .expression(sql`lower(title)`)
          .unique()
          .execute();
      },
    },
  };
};

/** Opens the database (migrating it), stores one note and closes it again. */
async function storeNote(target: Parameters<typeof openDatabase>[0], title: string): Promise<void> {
  const database = await openDatabase<{ notes: NotesTable }>(target, migrations);
  await database.db.insertInto('notes').values({ title, createdAt: new Date().toISOString() }).execute();
  await database.close();
}

describe.each(testEngines)('openDatabase on %s', (engine) => {
  it('when opened, then migrations run and ids and timestamps come back as numbers and ISO strings', async () => {
    const target = await createTestTarget(engine);
    const database = await openDatabase<{ notes: NotesTable }>(target.target, migrations);
    try {
      const createdAt = '2025-01-02T03:04:05.678Z';
      const row = await database.db.insertInto('notes').values({ title: 'Hello', createdAt }).returningAll().executeTakeFirstOrThrow();
      expect(row).toEqual({ id: 1, title: 'Hello', createdAt });
      await expect(database.ping()).resolves.toBeUndefined();
      const duplicate = database.db.insertInto('notes').values({ title: 'HELLO', createdAt }).execute();
      const error = await duplicate.catch((e: unknown) => e);
      expect(isUniqueViolation(error)).toBe(true);
    } finally {
      await database.close();
      await target.drop();
    }
  });

  const onSqlite = engine === 'sqlite' ? it : it.skip;
  onSqlite(
    'when an SQLite file is opened, then it logs ahead, checkpoints the log at the pages set for it rather than the default 1,000, and keeps the page cache set for it',
    async () => {
      const target = await createTestTarget(engine);
      const database = await openDatabase<{ notes: NotesTable }>(target.target, migrations);
      try {
        const mode = await sql<{ journalMode: string }>`pragma journal_mode`.execute(database.db);
        const pages = await sql<{ walAutocheckpoint: number }>`pragma wal_autocheckpoint`.execute(database.db);
        const cache = await sql<{ cacheSize: number }>`pragma cache_size`.execute(database.db);
        expect([mode.rows[0]?.journalMode, pages.rows[0]?.walAutocheckpoint, cache.rows[0]?.cacheSize]).toEqual([
          'wal',
          SQLITE_CHECKPOINT_PAGES,
          -SQLITE_CACHE_KIB,
        ]);
      } finally {
        await database.close();
        await target.drop();
      }
    },
  );

  const onPostgres = engine === 'postgres' ? it : it.skip;
  onPostgres('when several tasks start at once on an empty database, then each migration is applied exactly once', async () => {
    const target = await createTestTarget(engine);
    try {
      const databases = await Promise.all([1, 2, 3, 4].map(() => openDatabase<{ notes: NotesTable }>(target.target, migrations)));
      const applied = await sql<{ n: number }>`select count(*) as n from kysely_migration`.execute(databases[0]!.db);
      expect(Number(applied.rows[0]!.n)).toBe(1);
      await Promise.all(databases.map((d) => d.close()));
    } finally {
      await target.drop();
    }
  });

  onPostgres('when other schemas of the database are dropped while tasks start, then every start still migrates', async () => {
    // Another service's or a test's schema created and dropped over and over, as fast as the
    // server allows: without a second run of the migrator about a third of the starts failed here.
    const { target: churn } = await createTestTarget(engine);
    if (churn.engine !== 'postgres') throw new Error('PostgreSQL only');
    const client = new Client(churn.connection);
    await client.connect();
    let churning = true;
    const churned = (async () => {
      for (let n = 0; churning; n++) {
        await client.query(`create schema ${churn.schema}_${n}; create table ${churn.schema}_${n}.t (id int, v text)`);
        await client.query(`drop schema ${churn.schema}_${n} cascade`);
      }
    })();
    try {
      for (let start = 0; start < 15; start++) {
        const target = await createTestTarget(engine);
        try {
          await storeNote(target.target, `start ${start}`);
        } finally {
          await target.drop();
        }
      }
    } finally {
      churning = false;
      await churned;
      await client.end();
    }
  });

  it('when opened again, then nothing is migrated twice and data is kept', async () => {
    const target = await createTestTarget(engine);
    try {
      await storeNote(target.target, 'kept');
      const second = await openDatabase<{ notes: NotesTable }>(target.target, migrations);
      expect(await second.db.selectFrom('notes').select('title').execute()).toEqual([{ title: 'kept' }]);
      await second.close();
    } finally {
      await target.drop();
    }
  });

  it('when a later version adds a migration, then opening applies it and keeps the data', async () => {
    const target = await createTestTarget(engine);
    try {
      await storeNote(target.target, 'kept');
      const later: MigrationSet = (engine) => ({
        ...migrations(engine),
        '002_notes_body': { up: (db: Kysely<unknown>) => db.schema.alterTable('notes').addColumn('body', 'text').execute() },
      });
      const second = await openDatabase<{ notes: NotesTable & { body: string | null } }>(target.target, later);
      expect(await second.db.selectFrom('notes').select(['title', 'body']).execute()).toEqual([{ title: 'kept', body: null }]);
      await second.close();
    } finally {
      await target.drop();
    }
  });
});

describe('openServiceDatabase', () => {
  it('when DB_SECRET is set and DB_CA_FILE cannot be read, then start-up is refused with a message naming DB_CA_FILE, without a retry', async () => {
    const warnings: string[] = [];
    const settings = {
      service: 'users',
      DB_SECRET: JSON.stringify({ host: '127.0.0.1', port: 1, username: 'app', password: 'pw' }),
      DB_CA_FILE: '/nonexistent/rds-global-bundle.pem',
      DB_POOL_SIZE: 2,
      DATA_DIR: './data',
    };
    await expect(openServiceDatabase(settings, migrations, { warn: (_details, message) => warnings.push(message) })).rejects.toThrow(
      'DB_CA_FILE: cannot read "/nonexistent/rds-global-bundle.pem" (ENOENT); with DB_SECRET it must name the PEM bundle of the CA that signs the database certificate',
    );
    expect(warnings).toEqual([]);
  });
});
