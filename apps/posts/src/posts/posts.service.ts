import { z } from 'zod';
import { decodeCursor, toPage, type Page, type PageQuery, type Post } from '@forum/contracts';
import { authenticationRequired, ensureOwner } from '@forum/auth';
import type { ReadCache } from '@forum/db';
import { found, notFound, unknownReference } from '@forum/errors';
import { logFor, type Logger } from '@forum/context';
import type { ThreadsApi, UsersApi } from '@forum/service-client';
import type { PostsRepository } from './posts.repository';
import type { CreatePost, UpdatePost } from './posts.schema';

const cursorKey = z.object({ id: z.number().int().positive() });
const idKey = (post: Post) => ({ id: post.id });
const ONLY_THE_AUTHOR = 'Only its author may change or delete this post';

export interface PostsServiceDeps {
  posts: PostsRepository;
  threads: ThreadsApi;
  users: UsersApi;
  logger: Logger;
  /** Posts by id are read through it; every write of a post announces the change after it. */
  cache: ReadCache<Post>;
  now?: () => Date;
}

export function postsService({ posts, threads, users, logger, cache, now = () => new Date() }: PostsServiceDeps) {
  const byId = async (id: number): Promise<Post> => found(await cache.get(id, posts.findById), 'Post', id);
  const owned = async (callerId: number, id: number): Promise<void> => {
    ensureOwner(callerId, (await byId(id)).authorId, ONLY_THE_AUTHOR);
  };
  const afterCursor = (cursor: string | undefined) => (cursor ? decodeCursor(cursor, cursorKey).id : undefined);

  return {
    /** Checks with the threads and users services that the thread and the caller's account exist, then stores the post. */
    create: async (callerId: number, input: CreatePost): Promise<Post> => {
      const [thread, author] = await Promise.all([threads.getThread(input.threadId), users.getUser(callerId)]);
      if (!author) throw authenticationRequired('The account of this access token no longer exists');
      if (!thread) throw unknownReference('threadId', 'Thread', input.threadId);
      const at = now().toISOString();
      const post = await posts.insert({ ...input, authorId: callerId, createdAt: at, updatedAt: at });
      // The post is stored either way; a missed bump only leaves the thread lower in the list.
      await threads.touchThread(post.threadId).catch((err: unknown) => {
        logFor(logger).warn({ err, threadId: post.threadId }, 'could not record thread activity');
      });
      return post;
    },

    get: byId,

    inThread: async (threadId: number, { limit, cursor }: PageQuery): Promise<Page<Post>> =>
      toPage(await posts.inThread(threadId, limit + 1, afterCursor(cursor)), limit, idKey),

    byAuthor: async (authorId: number, { limit, cursor }: PageQuery): Promise<Page<Post>> =>
      toPage(await posts.byAuthor(authorId, limit + 1, afterCursor(cursor)), limit, idKey),

    update: async (callerId: number, id: number, changes: UpdatePost): Promise<Post> => {
      await owned(callerId, id);
      const updated = found(await posts.update(id, { ...changes, updatedAt: now().toISOString() }), 'Post', id);
      await cache.changed(id);
      return updated;
    },

    remove: async (callerId: number, id: number): Promise<void> => {
      await owned(callerId, id);
      if (!(await posts.remove(id))) throw notFound('Post', id);
      await cache.changed(id);
    },
  };
}

export type PostsService = ReturnType<typeof postsService>;
