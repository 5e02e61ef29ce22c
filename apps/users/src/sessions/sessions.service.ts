import { authenticationRequired, type AccessToken, type TokenIssuer } from '@forum/auth';
import type { PasswordHasher } from '../users/passwords';
import type { UsersRepository } from '../users/users.repository';
import type { LoginLimiter } from './login-limits';
import type { SignIn } from './sessions.schema';

export type Session = AccessToken & { userId: number };

export interface SessionsServiceDeps {
  users: UsersRepository;
  passwords: PasswordHasher;
  issuer: TokenIssuer;
  limiter: LoginLimiter;
}

export function sessionsService({ users, passwords, issuer, limiter }: SessionsServiceDeps) {
  // An unknown username is checked against this, so it costs the same time as a wrong password.
  // Made on the first sign-in, not at start-up.
  let decoy: Promise<string> | undefined;

  return {
    /**
     * Exchanges a username and password for an access token; 401 names neither as the wrong one.
     * The failure slot is reserved before the check (see loginLimiter) and kept when it fails.
     */
    signIn: async ({ username, password }: SignIn, client: string): Promise<Session> => {
      await limiter.admit(client, username);
      const account = await users.findCredentials(username);
      // An account without a stored hash (created before sign-in existed) never signs in; it is
      // still checked against the decoy so that it answers in the same time as any other.
      const stored = account?.passwordHash ? account.passwordHash : undefined;
      const matches = await passwords.verify(password, stored ?? (await (decoy ??= passwords.hash("not anyone's password"))));
      if (!account || stored === undefined || !matches) throw authenticationRequired('Wrong username or password');
      await limiter.succeeded(username);
      return { ...(await issuer.issue(account.id)), userId: account.id };
    },
  };
}

export type SessionsService = ReturnType<typeof sessionsService>;
