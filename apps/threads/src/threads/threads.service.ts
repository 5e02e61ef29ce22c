import { z } from 'zod';
import { decodeCursor, toPage, type Page, type PageQuery, type Thread } from '@forum/contracts';
import { notFound, unknownReference } from '@forum/errors';
import type { CallOptions, UsersApi } from '@forum/service-client';
import type { ThreadsRepository } from './threads.repository';
import type { CreateThread, UpdateThread } from './threads.schema';

const cursorKey = z.object({ at: z.iso.datetime(), id: z.number().int().positive() });

export function threadsService(threads: ThreadsRepository, users: UsersApi, now: () => Date = () => new Date()) {
  const found = (thread: Thread | undefined, id: number): Thread => {
    if (!thread) throw notFound('Thread', id);
    return thread;
  };

  return {
    create: async (input: CreateThread, call: CallOptions = {}): Promise<Thread> => {
      if (!(await users.getUser(input.authorId, call))) throw unknownReference('authorId', 'User', input.authorId);
      const at = now().toISOString();
      return threads.insert({ ...input, createdAt: at, updatedAt: at, lastActivityAt: at });
    },

    get: async (id: number): Promise<Thread> => found(await threads.findById(id), id),

    list: async ({ limit, cursor }: PageQuery): Promise<Page<Thread>> => {
      const after = cursor ? decodeCursor(cursor, cursorKey) : undefined;
      return toPage(await threads.list(limit + 1, after), limit, (t) => ({ at: t.lastActivityAt, id: t.id }));
    },

    update: async (id: number, changes: UpdateThread): Promise<Thread> =>
      found(await threads.update(id, { ...changes, updatedAt: now().toISOString() }), id),

    touch: async (id: number): Promise<void> => {
      if (!(await threads.touch(id, now().toISOString()))) throw notFound('Thread', id);
    },

    remove: async (id: number): Promise<void> => {
      if (!(await threads.remove(id))) throw notFound('Thread', id);
    },
  };
}

export type ThreadsService = ReturnType<typeof threadsService>;
