import { RateLimiterMemory } from 'rate-limiter-flexible';
import { consumeOrRefuse } from '../rate-limits';

export interface AccountLimits {
  /** Registrations one client address may make per minute (each costs a password hash). */
  registrationsPerClientPerMinute: number;
  /** Password changes one client address may make per minute (each costs two). */
  passwordChangesPerClientPerMinute: number;
}

/** Per-client limits of the writes that hash a password; counted in the task's memory. */
export function accountLimiter(limits: AccountLimits) {
  const registrations = new RateLimiterMemory({ keyPrefix: 'registrations', points: limits.registrationsPerClientPerMinute, duration: 60 });
  const passwordChanges = new RateLimiterMemory({ keyPrefix: 'password-changes', points: limits.passwordChangesPerClientPerMinute, duration: 60 });
  return {
    /** 429 with Retry-After when the client has registered too often. */
    registration: (client: string): Promise<void> => consumeOrRefuse(registrations, client, 'registrations'),
    passwordChange: (client: string): Promise<void> => consumeOrRefuse(passwordChanges, client, 'password changes'),
  };
}

export type AccountLimiter = ReturnType<typeof accountLimiter>;
