import { z } from 'zod';
import { decodeCursor, toPage, type Page, type PageQuery, type Post } from '@forum/contracts';
import { authenticationRequired, ensureOwner } from '@forum/auth';
import { localInvalidations, readCache, type ReadCache } from '@forum/db';
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
  /** How long an answer that a thread or an account exists is believed. */
  existenceTtlMs?: number;
  now?: () => Date;
}

const EXISTENCE_TTL_MS = 5000;
/** Enough for the threads and accounts a busy task sees in a few seconds. */
const KNOWN_ENTRIES = 16384;
/** What an entry of an existence cache takes: lru-cache's slots for it (116 bytes measured at 20,000), the value being shared. */
const KNOWN_ENTRY_BYTES = 128;
/** The value every existence cache keeps: only that the other service answered matters. */
const EXISTS = Object.freeze({});
const existence = (get: (id: number) => Promise<object | undefined>) => async (id: number) => ((await get(id)) ? EXISTS : undefined);

export function postsService({ posts, threads, users, logger, cache, existenceTtlMs = EXISTENCE_TTL_MS, now = () => new Date() }: PostsServiceDeps) {
  // That a thread or an account exists, as the other service last said, believed for a few
  // seconds: a burst of posts in one thread, or by one account, asks once, not once per post.
  // Only answers that something exists are kept, as one shared value rather than the row read;
  // a thread the bump reports missing is dropped at once. A thread or account deleted meanwhile
  // can still be posted to for at most the TTL, the window a delete landing between the check and
  // the insert always had.
  const known = () =>
    readCache<object>({
      table: 'known',
      invalidations: localInvalidations(),
      ttlMs: existenceTtlMs,
      maxBytes: KNOWN_ENTRIES * KNOWN_ENTRY_BYTES,
      sizeOf: () => KNOWN_ENTRY_BYTES,
    });
  const knownThreads = known();
  const knownUsers = known();
  const threadExists = existence(threads.getThread);
  const userExists = existence(users.getUser);
  // Off the response path: the post is stored either way, and a missed bump only leaves the
  // thread lower in the list. The bumps of one round of posts go in one call (threadsApi), and
  // the service client sends those asked for and finishes those in flight before shutdown.
  const bump = (threadId: number): void => {
    void threads.touchThread(threadId).then(
      async (found) => {
        if (!found) await knownThreads.changed(threadId);
      },
      (err: unknown) => logFor(logger).warn({ err, threadId }, 'could not record thread activity'),
    );
  };
  const byId = async (id: number): Promise<Post> => found(await cache.get(id, posts.findById), 'Post', id);
  // A write by the author matched no row: the post is missing (404) or someone else's (403).
  const refused = async (callerId: number, id: number): Promise<never> => {
    ensureOwner(callerId, (await byId(id)).authorId, ONLY_THE_AUTHOR);
    throw notFound('Post', id);
  };
  const afterCursor = (cursor: string | undefined) => (cursor ? decodeCursor(cursor, cursorKey).id : undefined);

  return {
    /** Checks with the threads and users services that the thread and the caller's account exist, then stores the post and bumps the thread. */
    create: async (callerId: number, input: CreatePost): Promise<Post> => {
      const [thread, author] = await Promise.all([knownThreads.get(input.threadId, threadExists), knownUsers.get(callerId, userExists)]);
      if (!author) throw authenticationRequired('The account of this access token no longer exists');
      if (!thread) throw unknownReference('threadId', 'Thread', input.threadId);
      const at = now().toISOString();
      const post = await posts.insert({ ...input, authorId: callerId, createdAt: at, updatedAt: at });
      bump(post.threadId);
      return post;
    },

    get: byId,

    inThread: async (threadId: number, { limit, cursor }: PageQuery): Promise<Page<Post>> =>
      toPage(await posts.inThread(threadId, limit + 1, afterCursor(cursor)), limit, idKey),

    byAuthor: async (authorId: number, { limit, cursor }: PageQuery): Promise<Page<Post>> =>
      toPage(await posts.byAuthor(authorId, limit + 1, afterCursor(cursor)), limit, idKey),

    update: async (callerId: number, id: number, changes: UpdatePost): Promise<Post> => {
      const updated = await posts.updateOwn(id, callerId, { ...changes, updatedAt: now().toISOString() });
      if (!updated) return refused(callerId, id);
      await cache.changed(id);
      return updated;
    },

    remove: async (callerId: number, id: number): Promise<void> => {
      if (!(await posts.removeOwn(id, callerId))) return refused(callerId, id);
      await cache.changed(id);
    },
  };
}

export type PostsService = ReturnType<typeof postsService>;
