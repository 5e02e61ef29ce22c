import { sql, type Generated, type Kysely } from 'kysely';
import type { Thread } from '@forum/contracts';
import { batchedById, compiledForIds, compiledPerShape, compiledQuery } from '@forum/db';

export interface ThreadsTable {
  id: Generated<number>;
  title: string;
  authorId: number;
  createdAt: string;
  updatedAt: string;
  lastActivityAt: string;
}

export interface ThreadsDatabase {
  threads: ThreadsTable;
}

export interface ActivityKey {
  at: string;
  id: number;
}

export function threadsRepository(db: Kysely<ThreadsDatabase>) {
  // The hot statements, compiled once (see compiledQuery).
  const byIds = compiledForIds(db, (ids) => db.selectFrom('threads').selectAll().where('id', 'in', ids));
  const newest = db.selectFrom('threads').selectAll().orderBy('lastActivityAt', 'desc').orderBy('id', 'desc');
  const firstPage = compiledQuery(db, (limit: number) => newest.limit(limit));
  const nextPage = compiledQuery(db, (at: string, id: number, limit: number) =>
    newest.where((eb) => eb.or([eb('lastActivityAt', '<', at), eb.and([eb('lastActivityAt', '=', at), eb('id', '<', id)])])).limit(limit),
  );
  // Every new post bumps its thread: the busiest write. The bumps of a round of posts come together.
  const touchActivity = compiledForIds(db, (ids, at: string) =>
    db
      .updateTable('threads')
      .set({ lastActivityAt: sql<string>`case when last_activity_at < ${at} then ${at} else last_activity_at end` })
      .where('id', 'in', ids)
      .returning('id'),
  );
  // Writes by the author only, the check in the statement itself: no read before the write.
  const updateOwn = compiledPerShape(db, (changes: Partial<Omit<Thread, 'id'>>, id: number, authorId: number) =>
    db.updateTable('threads').set(changes).where('id', '=', id).where('authorId', '=', authorId).returningAll(),
  );
  const removeOwn = compiledQuery(db, (id: number, authorId: number) =>
    db.deleteFrom('threads').where('id', '=', id).where('authorId', '=', authorId).returning('id'),
  );
  return {
    insert: (thread: Omit<Thread, 'id'>): Promise<Thread> => db.insertInto('threads').values(thread).returningAll().executeTakeFirstOrThrow(),

    /** Reads arriving together share one statement (see batchedById). */
    findById: batchedById(byIds),

    /** Newest activity first; `after` is the last thread of the previous page. */
    list: (limit: number, after?: ActivityKey): Promise<Thread[]> => (after ? nextPage(after.at, after.id, limit) : firstPage(limit)),

    /** Changes the thread if `authorId` started it; undefined when it is missing or someone else's. */
    updateOwn: async (id: number, authorId: number, changes: Partial<Omit<Thread, 'id'>>): Promise<Thread | undefined> =>
      (await updateOwn(changes, id, authorId))[0],

    /** Moves the threads' last activity forward to `at`, never backwards; the ids of those that exist. */
    touch: async (ids: number[], at: string): Promise<number[]> => (await touchActivity(ids, at)).map((row) => row.id),

    /** Deletes the thread if `authorId` started it; false when it is missing or someone else's. */
    removeOwn: async (id: number, authorId: number): Promise<boolean> => (await removeOwn(id, authorId)).length > 0,

    isEmpty: async (): Promise<boolean> => (await db.selectFrom('threads').select('id').limit(1).execute()).length === 0,
  };
}

export type ThreadsRepository = ReturnType<typeof threadsRepository>;
