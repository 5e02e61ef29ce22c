import { RateLimiterMemory } from 'rate-limiter-flexible';
import { consumeOrRefuse } from '../rate-limits';

export interface LoginLimits {
  /** Sign-in attempts one client address may make per minute. */
  attemptsPerClientPerMinute: number;
  /** Passwords checked for one username (or one account's current password) per window. */
  failuresPerUsername: number;
  failureWindowSeconds: number;
}

/**
 * Brute-force protection of password checks, on rate-limiter-flexible's counters. Every sign-in
 * counts against the client address. A password is checked only after a failure slot of its
 * username (any letter case), or of its account for a password change, has been reserved, and a
 * success gives the slots back: however many guesses arrive at once, at most
 * `failuresPerUsername` of them are ever evaluated per window. Counters live in the task's
 * memory, so behind the ALB each task counts on its own (the effective limit is this times the
 * number of tasks).
 */
export function loginLimiter(limits: LoginLimits) {
  const attemptsByClient = new RateLimiterMemory({ keyPrefix: 'login-client', points: limits.attemptsPerClientPerMinute, duration: 60 });
  const failures = new RateLimiterMemory({
    keyPrefix: 'password-failures',
    points: limits.failuresPerUsername,
    duration: limits.failureWindowSeconds,
  });
  const ofUsername = (username: string) => `name:${username.toLowerCase()}`;
  const ofAccount = (id: number) => `account:${id}`;
  const reserve = (key: string, what: string) => consumeOrRefuse(failures, key, what);

  return {
    /** Before a sign-in's password check; 429 with Retry-After when the client or the username is over its limit. */
    admit: async (client: string, username: string): Promise<void> => {
      await consumeOrRefuse(attemptsByClient, client, 'sign-in attempts');
      await reserve(ofUsername(username), 'sign-in attempts');
    },
    succeeded: async (username: string): Promise<void> => {
      await failures.delete(ofUsername(username));
    },
    /** Before checking an account's current password (a password change); 429 when over the limit. */
    admitCurrentPassword: (userId: number): Promise<void> => reserve(ofAccount(userId), 'wrong current passwords'),
    currentPasswordMatched: async (userId: number): Promise<void> => {
      await failures.delete(ofAccount(userId));
    },
  };
}

export type LoginLimiter = ReturnType<typeof loginLimiter>;
