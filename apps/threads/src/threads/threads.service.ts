import { z } from 'zod';
import { authenticationRequired, ensureOwner } from '@forum/auth';
import { decodeCursor, toPage, type Page, type PageQuery, type Thread } from '@forum/contracts';
import type { ReadCache } from '@forum/db';
import { found, notFound } from '@forum/errors';
import type { UsersApi } from '@forum/service-client';
import type { ThreadsRepository } from './threads.repository';
import type { CreateThread, UpdateThread } from './threads.schema';

const cursorKey = z.object({ at: z.iso.datetime(), id: z.number().int().positive() });
const ONLY_THE_AUTHOR = 'Only its author may change or delete this thread';

export interface ThreadsServiceDeps {
  threads: ThreadsRepository;
  users: UsersApi;
  /** Threads by id are read through it; every write of a thread announces the change after it. */
  cache: ReadCache<Thread>;
  /** The first page of the list by page size, dropped on any change of a thread (a bump included). */
  firstPages: ReadCache<Page<Thread>>;
  now?: () => Date;
}

export function threadsService({ threads, users, cache, firstPages, now = () => new Date() }: ThreadsServiceDeps) {
  const byId = async (id: number): Promise<Thread> => found(await cache.get(id, threads.findById), 'Thread', id);
  // A write by the author matched no row: the thread is missing (404) or someone else's (403).
  const refused = async (callerId: number, id: number): Promise<never> => {
    ensureOwner(callerId, (await byId(id)).authorId, ONLY_THE_AUTHOR);
    throw notFound('Thread', id);
  };

  return {
    /** The caller starts a thread; their account must still exist (a token outlives a deleted account). */
    create: async (callerId: number, input: CreateThread): Promise<Thread> => {
      if (!(await users.getUser(callerId))) throw authenticationRequired('The account of this access token no longer exists');
      const at = now().toISOString();
      const thread = await threads.insert({ ...input, authorId: callerId, createdAt: at, updatedAt: at, lastActivityAt: at });
      await cache.changed(thread.id); // a new thread heads the list: the cached first pages go
      return thread;
    },

    get: byId,

    /** The newest activity first; the first page, the forum's front page, is read through a cache. */
    list: async ({ limit, cursor }: PageQuery): Promise<Page<Thread>> => {
      const page = async (after?: { at: string; id: number }) =>
        toPage(await threads.list(limit + 1, after), limit, (t) => ({ at: t.lastActivityAt, id: t.id }));
      if (!cursor) return (await firstPages.get(limit, () => page())) as Page<Thread>;
      return page(decodeCursor(cursor, cursorKey));
    },

    update: async (callerId: number, id: number, changes: UpdateThread): Promise<Thread> => {
      const updated = await threads.updateOwn(id, callerId, { ...changes, updatedAt: now().toISOString() });
      if (!updated) return refused(callerId, id);
      await cache.changed(id);
      return updated;
    },

    /** A new post in each of these threads: each moves to the top of the list; the ids of those missing. */
    touch: async (ids: number[]): Promise<number[]> => {
      const touched = new Set(await threads.touch(ids, now().toISOString()));
      await Promise.all([...touched].map((id) => cache.changed(id)));
      return ids.filter((id) => !touched.has(id));
    },

    remove: async (callerId: number, id: number): Promise<void> => {
      if (!(await threads.removeOwn(id, callerId))) return refused(callerId, id);
      await cache.changed(id);
    },
  };
}

export type ThreadsService = ReturnType<typeof threadsService>;
