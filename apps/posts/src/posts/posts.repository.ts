import type { Generated, Kysely } from 'kysely';
import type { Post } from '@forum/contracts';

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
  return {
    insert: (post: Omit<Post, 'id'>): Promise<Post> => db.insertInto('posts').values(post).returningAll().executeTakeFirstOrThrow(),

    findById: (id: number): Promise<Post | undefined> => db.selectFrom('posts').selectAll().where('id', '=', id).executeTakeFirst(),

    /** A thread's posts in the order they were written. */
    inThread: (threadId: number, limit: number, afterId = 0): Promise<Post[]> =>
      db.selectFrom('posts').selectAll().where('threadId', '=', threadId).where('id', '>', afterId).orderBy('id').limit(limit).execute(),

    /** A user's posts, newest first. */
    byAuthor: (authorId: number, limit: number, beforeId = Number.MAX_SAFE_INTEGER): Promise<Post[]> =>
      db.selectFrom('posts').selectAll().where('authorId', '=', authorId).where('id', '<', beforeId).orderBy('id', 'desc').limit(limit).execute(),

    update: (id: number, changes: Partial<Omit<Post, 'id'>>): Promise<Post | undefined> =>
      db.updateTable('posts').set(changes).where('id', '=', id).returningAll().executeTakeFirst(),

    remove: async (id: number): Promise<boolean> => (await db.deleteFrom('posts').where('id', '=', id).executeTakeFirst()).numDeletedRows > 0n,

    isEmpty: async (): Promise<boolean> => (await db.selectFrom('posts').select('id').limit(1).execute()).length === 0,
  };
}

export type PostsRepository = ReturnType<typeof postsRepository>;
