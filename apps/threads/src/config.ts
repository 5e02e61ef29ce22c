import { env, serviceEntries, upstreamEntries } from '@forum/config';

/** Every environment variable the threads service reads. */
export const threadsConfig = {
  ...serviceEntries,
  ...upstreamEntries,
  USERS_URL: env.url('Base URL of the users service (Service Connect name in AWS).', 'http://users:3000'),
};
