import { sql, type Generated, type Kysely } from 'kysely';
import { createTestTarget, testEngines } from '@forum/db/testing';
import { batchedById, batchedPages, compiledForIds, compiledForPages, type PageRequest } from './batched-reads';
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
/** Note n belongs to owner (n - 1) % OWNERS + 1: ten notes each. */
const OWNERS = 7;
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe.each(testEngines)('compiled queries on %s', (engine) => {
  const withNotes = async (test: (db: Kysely<Notes>) => Promise<void>) => {
    const target = await createTestTarget(engine);
    const database = await openDatabase<Notes>(target.target, migrations);
    try {
      await database.db
        .insertInto('notes')
        .values(range(1, NOTES).map((n) => ({ title: `title ${n}`, body: `body ${n}`, ownerId: ((n - 1) % OWNERS) + 1 })))
        .execute();
      await test(database.db);
    } finally {
      await database.close();
      await target.drop();
    }
  };

  it('when a compiled query runs, then each call uses its own arguments', async () => {
    await withNotes(async (db) => {
      const byOwner = compiledQuery(db, (ownerId: number, limit: number) =>
        db.selectFrom('notes').select('title').where('ownerId', '=', ownerId).orderBy('id').limit(limit),
      );
      expect(await byOwner(2, 2)).toEqual([{ title: 'title 2' }, { title: 'title 9' }]);
      expect(await byOwner(3, 1)).toEqual([{ title: 'title 3' }]);
    });
  });

  it('when a compiled query returns whole rows, then they are the rows Kysely gives, names and order of the fields included', async () => {
    await withNotes(async (db) => {
      const byOwner = compiledQuery(db, (ownerId: number) => db.selectFrom('notes').selectAll().where('ownerId', '=', ownerId).orderBy('id'));
      const built = await db.selectFrom('notes').selectAll().where('ownerId', '=', 4).orderBy('id').execute();
      expect(built.map((row) => Object.keys(row))).toContainEqual(['id', 'title', 'body', 'ownerId']);
      expect(JSON.stringify(await byOwner(4))).toBe(JSON.stringify(built));
      expect(await byOwner(OWNERS + 1)).toEqual([]);
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

    it('when a statement over ids takes further arguments, then every count of ids runs with them, and only those rows change', async () => {
      await withNotes(async (db) => {
        const retitle = compiledForIds(db, (ids, title: string) => db.updateTable('notes').set({ title }).where('id', 'in', ids).returning('id'));
        for (const count of range(1, 9)) {
          const ids = range(1, count).map((n) => n * 7);
          expect((await retitle(ids, `retitled ${count}`)).map((row) => row.id).sort((a, b) => a - b)).toEqual(ids);
          const titles = await db.selectFrom('notes').select(['id', 'title']).where('title', 'like', 'retitled%').orderBy('id').execute();
          expect(titles).toEqual(ids.map((id) => ({ id, title: `retitled ${count}` })));
          await db.updateTable('notes').set({ title: 'x' }).where('id', 'in', ids).execute();
        }
        expect(await retitle([999], 'nobody')).toEqual([]);
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

  describe('batched pages', () => {
    type Owned = { id: number; ownerId: number };
    // The notes of an owner after a cursor, oldest first or newest first, as the engine is asked.
    const expected = ([ownerId, cursor, limit]: PageRequest, newestFirst = false): Owned[] => {
      const ids = range(1, NOTES).filter((id) => ((id - 1) % OWNERS) + 1 === ownerId && (newestFirst ? id < cursor : id > cursor));
      return (newestFirst ? ids.reverse() : ids).slice(0, limit).map((id) => ({ id, ownerId }));
    };
    const pagesOf = (db: Kysely<Notes>) => ({
      oldestFirst: compiledForPages(db, (ownerId, afterId, limit) =>
        db.selectFrom('notes').select(['id', 'ownerId']).where('ownerId', '=', ownerId).where('id', '>', afterId).orderBy('id').limit(limit),
      ),
      newestFirst: compiledForPages(db, (ownerId, beforeId, limit) =>
        db.selectFrom('notes').select(['id', 'ownerId']).where('ownerId', '=', ownerId).where('id', '<', beforeId).orderBy('id', 'desc').limit(limit),
      ),
    });
    // Pages of every owner (and one with no notes), several of one owner at different cursors.
    const requests: PageRequest[] = [
      [1, 0, 3],
      [2, 0, 20],
      [1, 15, 3],
      [OWNERS + 1, 0, 5],
      [3, 60, 2],
      [1, 0, 1],
      [4, 0, 10],
      [5, 30, 4],
      [6, 0, 0],
    ];

    it('when pages of every count up to 9 are read in one statement, then each gets exactly its own rows, in its order', async () => {
      await withNotes(async (db) => {
        const { oldestFirst, newestFirst } = pagesOf(db);
        for (const count of range(1, requests.length)) {
          const pages = requests.slice(0, count);
          expect(await oldestFirst(pages)).toEqual(pages.map((page) => expected(page)));
          const fromTheEnd = pages.map(([ownerId, cursor, limit]): PageRequest => [ownerId, NOTES + 1 - cursor, limit]);
          expect(await newestFirst(fromTheEnd)).toEqual(fromTheEnd.map((page) => expected(page, true)));
        }
        expect(await oldestFirst([])).toEqual([]);
      });
    });

    it('when pages are asked for together, then one statement answers them all; more than 64 are split into statements of at most 64', async () => {
      await withNotes(async (db) => {
        const { oldestFirst } = pagesOf(db);
        const statements: number[] = [];
        const page = batchedPages<Owned>((pages) => {
          statements.push(pages.length);
          return oldestFirst(pages);
        });
        expect(await Promise.all(requests.map((request) => page(...request)))).toEqual(requests.map((request) => expected(request)));
        expect(statements).toEqual([requests.length]);
        const many = range(1, NOTES).map((n): PageRequest => [(n % OWNERS) + 1, n, 2]);
        expect(await Promise.all(many.map((request) => page(...request)))).toEqual(many.map((request) => expected(request)));
        expect(statements).toEqual([requests.length, 64, NOTES - 64]);
      });
    });

    it('when the statement fails, then every page of its batch fails with the error', async () => {
      await withNotes(async (db) => {
        const { oldestFirst } = pagesOf(db);
        const page = batchedPages(oldestFirst);
        await sql`drop table notes`.execute(db);
        const answers = await Promise.allSettled([page(1, 0, 5), page(2, 0, 5)]);
        expect(answers.map((a) => a.status)).toEqual(['rejected', 'rejected']);
      });
    });
  });
});
