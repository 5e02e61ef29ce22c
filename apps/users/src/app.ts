import { callerOf, type TokenIssuer, type TokenVerifier } from '@forum/auth';
import { servicePrefixes } from '@forum/contracts';
import type { User } from '@forum/contracts';
import { rowCache, type Database } from '@forum/db';
import { createHttpApp, type Logger } from '@forum/http';
import { usersOpenApi } from './openapi';
import { loginLimiter, type LoginLimits } from './sessions/login-limits';
import { sessionsRoutes } from './sessions/sessions.routes';
import { sessionsService } from './sessions/sessions.service';
import { accountLimiter, type AccountLimits } from './users/account-limits';
import { hashSlots, type HashSlotLimits } from './users/hash-slots';
import { passwordHasher } from './users/passwords';
import { usersRepository, type UsersDatabase } from './users/users.repository';
import { usersRoutes } from './users/users.routes';
import { usersService } from './users/users.service';

export interface UsersAppDeps {
  database: Database<UsersDatabase>;
  logger: Logger;
  /** Heap budget of each read cache in bytes (READ_CACHE_MB); the library default when unset. */
  cacheBytes?: number;
  bodyLimit: number;
  corsOrigins: string[];
  /** Proxies whose X-Forwarded-For is believed (TRUSTED_PROXIES). */
  trustedProxies: string[];
  tokens: { issuer: TokenIssuer; verifier: TokenVerifier };
  /** scrypt cost (log2 N) of new password hashes. */
  passwordCost: number;
  loginLimits: LoginLimits;
  accountLimits: AccountLimits;
  /**
   * Hashes at once per task: sign-ins in one pool, registrations and password changes in the
   * other, so a flood of one never starves the other.
   */
  hashSlots: { signIn: HashSlotLimits; accounts: HashSlotLimits };
}

/** The users service as a Koa app; it never listens, so tests drive it in-process. */
export function createApp(deps: UsersAppDeps) {
  const repository = usersRepository(deps.database.db);
  const loginLimits = loginLimiter(deps.loginLimits);
  const users = usersService({
    users: repository,
    passwords: passwordHasher(deps.passwordCost, hashSlots(deps.hashSlots.accounts)),
    cache: rowCache<User>('users', deps.database.invalidations, deps.cacheBytes),
    accountLimits: accountLimiter(deps.accountLimits),
    loginLimits,
  });
  const signInPasswords = passwordHasher(deps.passwordCost, hashSlots(deps.hashSlots.signIn));
  const sessions = sessionsService({ users: repository, passwords: signInPasswords, issuer: deps.tokens.issuer, limiter: loginLimits });
  return createHttpApp({
    prefix: servicePrefixes.users,
    logger: deps.logger,
    bodyLimit: deps.bodyLimit,
    corsOrigins: deps.corsOrigins,
    trustedProxies: deps.trustedProxies,
    checkReady: deps.database.ping,
    openapi: usersOpenApi,
    routes: (router) => {
      sessionsRoutes(sessions)(router);
      usersRoutes(users, callerOf(deps.tokens.verifier))(router);
    },
  });
}
