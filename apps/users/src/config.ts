import { env, serviceEntries, tokenIssueEntries } from '@forum/config';

/** Every environment variable the users service reads. */
export const usersConfig = {
  ...serviceEntries,
  ...tokenIssueEntries,
  PASSWORD_HASH_COST: env.integer('scrypt cost of new password hashes, as log2 N (15: 32 MiB and about 90 ms of one core per hash).', 15, 14, 20),
  LOGIN_ATTEMPTS_PER_CLIENT_PER_MINUTE: env.integer('Sign-in attempts one client address may make per minute (per task).', 20, 1),
  LOGIN_FAILURES_PER_USERNAME: env.integer('Failed sign-ins of one username before it is locked for the rest of the window.', 10, 1),
  LOGIN_FAILURE_WINDOW_SECONDS: env.integer('Window of LOGIN_FAILURES_PER_USERNAME, in seconds.', 900, 1),
};
