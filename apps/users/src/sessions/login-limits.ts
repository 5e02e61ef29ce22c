import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '@forum/errors';

export interface LoginLimits {
  /** Sign-in attempts one client address may make per minute. */
  attemptsPerClientPerMinute: number;
  /** Failed sign-ins one username may have within the window before it is locked for the rest of it. */
  failuresPerUsername: number;
  failureWindowSeconds: number;
}

/**
 * Brute-force protection of sign-in, on rate-limiter-flexible's counters: every attempt counts
 * against the client address, failures count against the username (any letter case) and a
 * success clears them. Counters live in the task's memory, so behind the ALB each task counts on
 * its own (the effective limit is this times the number of tasks).
 */
export function loginLimiter(limits: LoginLimits) {
  const attemptsByClient = new RateLimiterMemory({ keyPrefix: 'login-client', points: limits.attemptsPerClientPerMinute, duration: 60 });
  const failuresByUsername = new RateLimiterMemory({
    keyPrefix: 'login-username',
    points: limits.failuresPerUsername,
    duration: limits.failureWindowSeconds,
  });
  const key = (username: string) => username.toLowerCase();

  return {
    /** Counts an attempt; 429 with Retry-After when the client or the username is over its limit. */
    admit: async (client: string, username: string): Promise<void> => {
      try {
        await attemptsByClient.consume(client);
      } catch (rejection) {
        throw tooManyAttempts(rejection);
      }
      const failures = await failuresByUsername.get(key(username));
      if (failures && failures.consumedPoints >= limits.failuresPerUsername) throw tooManyAttempts(failures);
    },
    failed: async (username: string): Promise<void> => {
      await failuresByUsername.consume(key(username)).catch(() => undefined); // already at the limit: stays locked
    },
    succeeded: async (username: string): Promise<void> => {
      await failuresByUsername.delete(key(username));
    },
  };
}

export type LoginLimiter = ReturnType<typeof loginLimiter>;

function tooManyAttempts(rejection: unknown): AppError {
  if (!(rejection instanceof RateLimiterRes)) return new AppError('internal_error', 'login rate limiter failed', { cause: rejection });
  const seconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
  return new AppError('too_many_requests', `Too many sign-in attempts; try again in ${seconds} s`, {
    headers: { 'Retry-After': String(seconds) },
  });
}
