import { env, serviceEntries, tokenCheckEntries, upstreamEntries } from '@forum/config';

/** Every environment variable the threads service reads. */
export const threadsConfig = {
  ...serviceEntries,
  ...upstreamEntries,
  ...tokenCheckEntries,
  USERS_URL: env.url('Base URL of the users service (Service Connect name in AWS).', 'http://users:3000'),
};
