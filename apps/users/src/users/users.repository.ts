import type { Generated, Kysely } from 'kysely';
import { sql } from 'kysely';
import type { User } from '@forum/contracts';
import { conflict } from '@forum/errors';
import { batchedById, compiledForIds, compiledPerShape, compiledQuery, isUniqueViolation } from '@forum/db';

export interface UsersTable {
  id: Generated<number>;
  username: string;
  displayName: string;
  bio: string;
  /** scrypt hash (see passwords.ts); never selected with the user. */
  passwordHash: string;
  createdAt: string;
  updatedAt: string;
}

export interface UsersDatabase {
  users: UsersTable;
}

export type NewUser = Omit<User, 'id'> & { passwordHash: string };

/** The columns a user is returned with: every one but the password hash. */
const userColumns = ['id', 'username', 'displayName', 'bio', 'createdAt', 'updatedAt'] as const;

const usernameTaken = (error: unknown, username?: string) => {
  if (isUniqueViolation(error)) throw conflict(`The username ${JSON.stringify(username)} is taken`, 'username');
  throw error;
};

export function usersRepository(db: Kysely<UsersDatabase>) {
  // The hot reads, compiled once (see compiledQuery).
  const byIds = compiledForIds(db, (ids) => db.selectFrom('users').select(userColumns).where('id', 'in', ids));
  const page = compiledQuery(db, (afterId: number, limit: number) =>
    db.selectFrom('users').select(userColumns).where('id', '>', afterId).orderBy('id').limit(limit),
  );
  const update = compiledPerShape(db, (changes: Partial<NewUser>, id: number) =>
    db.updateTable('users').set(changes).where('id', '=', id).returning(userColumns),
  );
  return {
    insert: (user: NewUser): Promise<User> =>
      db
        .insertInto('users')
        .values(user)
        .returning(userColumns)
        .executeTakeFirstOrThrow()
        .catch((e) => usernameTaken(e, user.username)),

    /** Reads arriving together share one statement (see batchedById). */
    findById: batchedById(byIds),

    /** The id and password hash of a username, in any letter case (usernames are unique case-insensitively). */
    findCredentials: (username: string): Promise<{ id: number; passwordHash: string } | undefined> =>
      db
        .selectFrom('users')
        .select(['id', 'passwordHash'])
        .where(sql<string>`lower(username)`, '=', username.toLowerCase())
        .executeTakeFirst(),

    passwordHashOf: async (id: number): Promise<string | undefined> =>
      (await db.selectFrom('users').select('passwordHash').where('id', '=', id).executeTakeFirst())?.passwordHash,

    /** Users in id order after `afterId`, `limit` of them. */
    list: (limit: number, afterId = 0): Promise<User[]> => page(afterId, limit),

    update: async (id: number, changes: Partial<NewUser>): Promise<User | undefined> =>
      (await update(changes, id).catch((e) => usernameTaken(e, changes.username)))[0],

    remove: async (id: number): Promise<boolean> => {
      const result = await db.deleteFrom('users').where('id', '=', id).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },

    isEmpty: async (): Promise<boolean> => (await db.selectFrom('users').select('id').limit(1).execute()).length === 0,
  };
}

export type UsersRepository = ReturnType<typeof usersRepository>;
