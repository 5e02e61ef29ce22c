import { z } from 'zod';
import { decodeCursor, toPage, type Page, type PageQuery, type User } from '@forum/contracts';
import { notFound } from '@forum/errors';
import type { UsersRepository } from './users.repository';
import type { CreateUser, UpdateUser } from './users.schema';

const cursorKey = z.object({ id: z.number().int().nonnegative() });

export function usersService(users: UsersRepository, now: () => Date = () => new Date()) {
  const found = (user: User | undefined, id: number): User => {
    if (!user) throw notFound('User', id);
    return user;
  };

  return {
    create: (input: CreateUser): Promise<User> => {
      const at = now().toISOString();
      return users.insert({ ...input, bio: input.bio ?? '', createdAt: at, updatedAt: at });
    },

    get: async (id: number): Promise<User> => found(await users.findById(id), id),

    list: async ({ limit, cursor }: PageQuery): Promise<Page<User>> => {
      const after = cursor ? decodeCursor(cursor, cursorKey).id : 0;
      return toPage(await users.list(limit + 1, after), limit, (u) => ({ id: u.id }));
    },

    update: async (id: number, changes: UpdateUser): Promise<User> =>
      found(await users.update(id, { ...changes, updatedAt: now().toISOString() }), id),

    remove: async (id: number): Promise<void> => {
      if (!(await users.remove(id))) throw notFound('User', id);
    },
  };
}

export type UsersService = ReturnType<typeof usersService>;
