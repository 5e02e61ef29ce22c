import type { Generated, Kysely } from 'kysely';
import type { Post } from '@forum/contracts';
import { batchedById, batchedPages, compiledForIds, compiledForPages, compiledPerShape, compiledQuery } from '@forum/db';

export interface PostsTable {
  id: Generated<number>;
  threadId: number;
  authorId: number;
  text: string;
  createdAt: string;
  updatedAt: string;
}

export interface PostsDatabase {
  posts: PostsTable;
}

export function postsRepository(db: Kysely<PostsDatabase>) {
  // The hot statements, compiled once (see compiledQuery).
  const byIds = compiledForIds(db, (ids) => db.selectFrom('posts').selectAll().where('id', 'in', ids));
  const threadPages = compiledForPages(db, (threadId, afterId, limit) =>
    db.selectFrom('posts').selectAll().where('threadId', '=', threadId).where('id', '>', afterId).orderBy('id').limit(limit),
  );
  const authorPages = compiledForPages(db, (authorId, beforeId, limit) =>
    db.selectFrom('posts').selectAll().where('authorId', '=', authorId).where('id', '<', beforeId).orderBy('id', 'desc').limit(limit),
  );
  // Pages asked for together share one statement, as reads by id do (see batchedPages).
  const threadPage = batchedPages(threadPages);
  const authorPage = batchedPages(authorPages);
  const insertPost = compiledQuery(db, (threadId: number, authorId: number, text: string, createdAt: string, updatedAt: string) =>
    db.insertInto('posts').values({ threadId, authorId, text, createdAt, updatedAt }).returningAll(),
  );
  // Writes by the author only, the check in the statement itself: no read before the write.
  const updateOwn = compiledPerShape(db, (changes: Partial<Omit<Post, 'id'>>, id: number, authorId: number) =>
    db.updateTable('posts').set(changes).where('id', '=', id).where('authorId', '=', authorId).returningAll(),
  );
  const removeOwn = compiledQuery(db, (id: number, authorId: number) =>
    db.deleteFrom('posts').where('id', '=', id).where('authorId', '=', authorId).returning('id'),
  );
  return {
    insert: async ({ threadId, authorId, text, createdAt, updatedAt }: Omit<Post, 'id'>): Promise<Post> => {
      const [post] = await insertPost(threadId, authorId, text, createdAt, updatedAt);
      if (!post) throw new Error('INSERT ... RETURNING gave no row');
      return post;
    },

    /** Reads arriving together share one statement (see batchedById). */
    findById: batchedById(byIds),

    /** A thread's posts in the order they were written. */
    inThread: (threadId: number, limit: number, afterId = 0): Promise<Post[]> => threadPage(threadId, afterId, limit),

    /** A user's posts, newest first. */
    byAuthor: (authorId: number, limit: number, beforeId = Number.MAX_SAFE_INTEGER): Promise<Post[]> => authorPage(authorId, beforeId, limit),

    /** Changes the post if `authorId` wrote it; undefined when it is missing or someone else's. */
    updateOwn: async (id: number, authorId: number, changes: Partial<Omit<Post, 'id'>>): Promise<Post | undefined> =>
      (await updateOwn(changes, id, authorId))[0],

    /** Deletes the post if `authorId` wrote it; false when it is missing or someone else's. */
    removeOwn: async (id: number, authorId: number): Promise<boolean> => (await removeOwn(id, authorId)).length > 0,

    isEmpty: async (): Promise<boolean> => (await db.selectFrom('posts').select('id').limit(1).execute()).length === 0,
  };
}

export type PostsRepository = ReturnType<typeof postsRepository>;
