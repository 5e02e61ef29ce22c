import { env, serviceEntries, tokenIssueEntries } from '@forum/config';

/** Every environment variable the users service reads. */
export const usersConfig = {
  ...serviceEntries,
  ...tokenIssueEntries,
  PASSWORD_HASH_COST: env.integer('scrypt cost of new password hashes, as log2 N (15: 32 MiB and about 90 ms of one core per hash).', 15, 14, 20),
  LOGIN_ATTEMPTS_PER_CLIENT_PER_MINUTE: env.integer('Sign-in attempts one client address may make per minute (per task).', 20, 1),
  LOGIN_FAILURES_PER_USERNAME: env.integer(
    'Passwords checked for one username (and wrong current passwords of one account) per window; past that 429 until the window ends, whatever the parallelism.',
    10,
    1,
  ),
  LOGIN_FAILURE_WINDOW_SECONDS: env.integer('Window of LOGIN_FAILURES_PER_USERNAME, in seconds.', 900, 1),
  REGISTRATIONS_PER_CLIENT_PER_MINUTE: env.integer('Registrations one client address may make per minute (per task).', 10, 1),
  PASSWORD_CHANGES_PER_CLIENT_PER_MINUTE: env.integer('Password changes one client address may make per minute (per task).', 10, 1),
  SIGN_IN_HASHES_AT_ONCE: env.integer('Sign-in password checks one task runs at once.', 2, 1, 64),
  ACCOUNT_HASHES_AT_ONCE: env.integer('Password hashes of registrations and password changes one task runs at once.', 1, 1, 64),
  PASSWORD_HASH_QUEUE: env.integer(
    'Password hashes that may wait for a slot, per pool; any more are answered 503 with Retry-After at once.',
    4,
    0,
    1000,
  ),
};
