import type { Generated, Kysely } from 'kysely';
import { createTestTarget, testEngines } from '@forum/db/testing';
import { columnTypes } from './columns';
import { compiledPerShape, compiledQuery } from './compiled-query';
import type { MigrationSet } from './migrate';
import { openDatabase } from './open-database';

interface NotesTable {
  id: Generated<number>;
  title: string;
  body: string;
  ownerId: number;
}
type Notes = { notes: NotesTable };
type Note = { id: number; title: string; body: string; ownerId: number };

const migrations: MigrationSet = (engine) => ({
  '001_notes': {
    up: async (db: Kysely<unknown>) => {
      await columnTypes(engine)
        .id(db.schema.createTable('notes'))
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('owner_id', 'integer', (c) => c.notNull())
        .execute();
    },
  },
});

describe.each(testEngines)('compiled queries on %s', (engine) => {
  const withNotes = async (test: (db: Kysely<Notes>) => Promise<void>) => {
    const target = await createTestTarget(engine);
    const database = await openDatabase<Notes>(target.target, migrations);
    try {
      await database.db
        .insertInto('notes')
        .values([1, 2, 3].map((n) => ({ title: `title ${n}`, body: `body ${n}`, ownerId: n })))
        .execute();
      await test(database.db);
    } finally {
      await database.close();
      await target.drop();
    }
  };

  it('when a compiled query runs, then each call uses its own arguments', async () => {
    await withNotes(async (db) => {
      const byOwner = compiledQuery(db, (ownerId: number) => db.selectFrom('notes').select('title').where('ownerId', '=', ownerId));
      expect(await byOwner(2)).toEqual([{ title: 'title 2' }]);
      expect(await byOwner(3)).toEqual([{ title: 'title 3' }]);
    });
  });

  it('when an argument is not used as a value, then the query is refused at once', async () => {
    await withNotes(async (db) => {
      expect(() => compiledQuery(db, (_ownerId: number) => db.selectFrom('notes').select('title'))).toThrow('argument 0 is not a value');
    });
  });

  it('when updates change different fields, then each set of fields is written, and undefined fields are left alone', async () => {
    await withNotes(async (db) => {
      const updateOwn = compiledPerShape(db, (changes: Partial<Omit<Note, 'id'>>, id: number, ownerId: number) =>
        db.updateTable('notes').set(changes).where('id', '=', id).where('ownerId', '=', ownerId).returningAll(),
      );
      expect(await updateOwn({ title: 'new title' }, 1, 1)).toEqual([{ id: 1, title: 'new title', body: 'body 1', ownerId: 1 }]);
      expect(await updateOwn({ body: 'new body', title: undefined }, 2, 2)).toEqual([{ id: 2, title: 'title 2', body: 'new body', ownerId: 2 }]);
      expect(await updateOwn({ title: 'both', body: 'both' }, 3, 3)).toEqual([{ id: 3, title: 'both', body: 'both', ownerId: 3 }]);
      expect(await updateOwn({ title: 'again' }, 2, 2)).toEqual([{ id: 2, title: 'again', body: 'new body', ownerId: 2 }]);
      expect(await updateOwn({ title: 'not mine' }, 1, 2)).toEqual([]);
      expect((await db.selectFrom('notes').select('title').where('id', '=', 1).executeTakeFirst())?.title).toBe('new title');
    });
  });
});
