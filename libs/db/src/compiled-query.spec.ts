import { sql, type Generated, type Kysely } from 'kysely';
import { createTestTarget, testEngines } from '@forum/db/testing';
import { batchedById, compiledForIds } from './batched-reads';
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

const NOTES = 70;
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe.each(testEngines)('compiled queries on %s', (engine) => {
  const withNotes = async (test: (db: Kysely<Notes>) => Promise<void>) => {
    const target = await createTestTarget(engine);
    const database = await openDatabase<Notes>(target.target, migrations);
    try {
      await database.db
        .insertInto('notes')
        .values(range(1, NOTES).map((n) => ({ title: `title ${n}`, body: `body ${n}`, ownerId: n })))
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

  describe('batched reads by id', () => {
    const noteOf = (id: number) => ({ id, title: `title ${id}` });
    // The statements a loader ran, each with the ids it was asked for.
    const counted = (db: Kysely<Notes>) => {
      const read = compiledForIds(db, (ids) => db.selectFrom('notes').select(['id', 'title']).where('id', 'in', ids).orderBy('id'));
      const statements: number[][] = [];
      const load = batchedById<Pick<Note, 'id' | 'title'>>((ids) => {
        statements.push(ids);
        return read(ids);
      });
      return { load, statements, read };
    };

    it('when ids of every count up to 9 are read, then exactly those rows come back', async () => {
      await withNotes(async (db) => {
        const { read } = counted(db);
        for (const count of range(1, 9)) {
          const ids = range(1, count).map((n) => n * 7);
          expect(await read(ids)).toEqual(ids.map(noteOf));
        }
        expect(await read([])).toEqual([]);
      });
    });

    it('when reads arrive together, then one statement answers them all, each with its own row or undefined', async () => {
      await withNotes(async (db) => {
        const { load, statements } = counted(db);
        const answers = await Promise.all([3, 1, 2, 3, NOTES + 1].map(load));
        expect(answers).toEqual([noteOf(3), noteOf(1), noteOf(2), noteOf(3), undefined]);
        expect(statements).toEqual([[3, 1, 2, NOTES + 1]]);
      });
    });

    it('when more than 64 reads arrive together, then they are split into statements of at most 64', async () => {
      await withNotes(async (db) => {
        const { load, statements } = counted(db);
        const answers = await Promise.all(range(1, NOTES).map(load));
        expect(answers).toEqual(range(1, NOTES).map(noteOf));
        expect(statements.map((ids) => ids.length)).toEqual([64, NOTES - 64]);
      });
    });

    it('when a row changes between two reads, then the second read sees the change (nothing is kept)', async () => {
      await withNotes(async (db) => {
        const { load, statements } = counted(db);
        expect(await load(5)).toEqual(noteOf(5));
        await db.updateTable('notes').set({ title: 'changed' }).where('id', '=', 5).execute();
        expect(await load(5)).toEqual({ id: 5, title: 'changed' });
        expect(statements).toEqual([[5], [5]]);
      });
    });

    it('when the statement fails, then every read of its batch fails with the error', async () => {
      await withNotes(async (db) => {
        const { load } = counted(db);
        await sql`drop table notes`.execute(db);
        const answers = await Promise.allSettled([1, 2].map(load));
        expect(answers.map((a) => a.status)).toEqual(['rejected', 'rejected']);
      });
    });
  });
});
