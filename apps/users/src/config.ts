import { serviceEntries } from '@forum/config';

/** Every environment variable the users service reads. */
export const usersConfig = { ...serviceEntries };
