import { env, serviceEntries, tokenCheckEntries, upstreamEntries } from '@forum/config';

/** Every environment variable the posts service reads. */
export const postsConfig = {
  ...serviceEntries,
  ...upstreamEntries,
  ...tokenCheckEntries,
  USERS_URL: env.url('Base URL of the users service (Service Connect name in AWS).', 'http://users:3000'),
  THREADS_URL: env.url('Base URL of the threads service (Service Connect name in AWS).', 'http://threads:3000'),
};
