import { z } from 'zod';
import { ensureOwner } from '@forum/auth';
import { decodeCursor, toPage, type Page, type PageQuery, type User } from '@forum/contracts';
import type { ReadCache } from '@forum/db';
import { AppError, found, notFound } from '@forum/errors';
import type { LoginLimiter } from '../sessions/login-limits';
import type { AccountLimiter } from './account-limits';
import type { PasswordHasher } from './passwords';
import type { NewUser, UsersRepository } from './users.repository';
import type { CreateUser, UpdateUser } from './users.schema';

const cursorKey = z.object({ id: z.number().int().nonnegative() });
const ONLY_YOURSELF = 'You may change or delete only your own account';

export interface UsersServiceDeps {
  users: UsersRepository;
  passwords: PasswordHasher;
  cache: ReadCache<User>;
  /** Per-client limits of registrations and password changes. */
  accountLimits: AccountLimiter;
  /** Guards the current-password check of a password change, as sign-in's passwords are. */
  loginLimits: LoginLimiter;
  now?: () => Date;
}

/** Users by id are read through `cache`; every write of a user announces the change after it. */
export function usersService({ users, passwords, cache, accountLimits, loginLimits, now = () => new Date() }: UsersServiceDeps) {
  return {
    /** `client` is the caller's address, for the per-client limit of registrations. */
    create: async ({ password, ...profile }: CreateUser, client: string): Promise<User> => {
      await accountLimits.registration(client);
      const at = now().toISOString();
      return users.insert({ ...profile, bio: profile.bio ?? '', passwordHash: await passwords.hash(password), createdAt: at, updatedAt: at });
    },

    get: async (id: number): Promise<User> => found(await cache.get(id, users.findById), 'User', id),

    list: async ({ limit, cursor }: PageQuery): Promise<Page<User>> => {
      const after = cursor ? decodeCursor(cursor, cursorKey).id : 0;
      return toPage(await users.list(limit + 1, after), limit, (u) => ({ id: u.id }));
    },

    update: async (callerId: number, id: number, { password, currentPassword, ...profile }: UpdateUser, client: string): Promise<User> => {
      ensureOwner(callerId, id, ONLY_YOURSELF);
      const changes: Partial<NewUser> = { ...profile, updatedAt: now().toISOString() };
      if (password !== undefined) {
        await accountLimits.passwordChange(client);
        const stored = await users.passwordHashOf(id);
        if (stored === undefined) throw notFound('User', id);
        await loginLimits.admitCurrentPassword(id);
        if (!stored || !(await passwords.verify(currentPassword ?? '', stored))) {
          throw new AppError('forbidden', 'currentPassword is not the current password');
        }
        await loginLimits.currentPasswordMatched(id);
        changes.passwordHash = await passwords.hash(password);
      }
      const updated = found(await users.update(id, changes), 'User', id);
      await cache.changed(id);
      return updated;
    },

    remove: async (callerId: number, id: number): Promise<void> => {
      ensureOwner(callerId, id, ONLY_YOURSELF);
      if (!(await users.remove(id))) throw notFound('User', id);
      await cache.changed(id);
    },
  };
}

export type UsersService = ReturnType<typeof usersService>;
