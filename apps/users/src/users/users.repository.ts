import type { Generated, Kysely } from 'kysely';
import type { User } from '@forum/contracts';
import { conflict } from '@forum/errors';
import { isUniqueViolation } from '@forum/db';

export interface UsersTable {
  id: Generated<number>;
  username: string;
  displayName: string;
  bio: string;
  createdAt: string;
  updatedAt: string;
}

export interface UsersDatabase {
  users: UsersTable;
}

type NewUser = Omit<User, 'id'>;

const usernameTaken = (error: unknown, username?: string) => {
  if (isUniqueViolation(error)) throw conflict(`The username ${JSON.stringify(username)} is taken`, 'username');
  throw error;
};

export function usersRepository(db: Kysely<UsersDatabase>) {
  return {
    insert: (user: NewUser): Promise<User> =>
      db.insertInto('users').values(user).returningAll().executeTakeFirstOrThrow().catch((e) => usernameTaken(e, user.username)),

    findById: (id: number): Promise<User | undefined> => db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst(),

    /** Users in id order after `afterId`, `limit` of them. */
    list: (limit: number, afterId = 0): Promise<User[]> =>
      db.selectFrom('users').selectAll().where('id', '>', afterId).orderBy('id').limit(limit).execute(),

    update: (id: number, changes: Partial<NewUser>): Promise<User | undefined> =>
      db
        .updateTable('users')
        .set(changes)
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst()
        .catch((e) => usernameTaken(e, changes.username)),

    remove: async (id: number): Promise<boolean> => {
      const result = await db.deleteFrom('users').where('id', '=', id).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },

    isEmpty: async (): Promise<boolean> => (await db.selectFrom('users').select('id').limit(1).execute()).length === 0,
  };
}

export type UsersRepository = ReturnType<typeof usersRepository>;
