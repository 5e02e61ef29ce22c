import { authenticationRequired, type AccessToken, type TokenIssuer } from '@forum/auth';
import type { PasswordHasher } from '../users/passwords';
import type { UsersRepository } from '../users/users.repository';
import type { LoginLimiter } from './login-limits';
import type { SignIn } from './sessions.schema';

export type Session = AccessToken & { userId: number };

export function sessionsService(users: UsersRepository, passwords: PasswordHasher, issuer: TokenIssuer, limiter: LoginLimiter) {
  // An unknown username is checked against this, so it costs the same time as a wrong password.
  // Made on the first sign-in, not at start-up.
  let decoy: Promise<string> | undefined;

  return {
    /** Exchanges a username and password for an access token; 401 names neither as the wrong one. */
    signIn: async ({ username, password }: SignIn, client: string): Promise<Session> => {
      await limiter.admit(client, username);
      const account = await users.findCredentials(username);
      const matches = await passwords.verify(password, account?.passwordHash || (await (decoy ??= passwords.hash('not anyone\'s password'))));
      if (!account || !matches) {
        await limiter.failed(username);
        throw authenticationRequired('Wrong username or password');
      }
      await limiter.succeeded(username);
      return { ...(await issuer.issue(account.id)), userId: account.id };
    },
  };
}

export type SessionsService = ReturnType<typeof sessionsService>;
