import { internalPrefixes, servicePrefixes, type Thread, type User } from '@forum/contracts';
import type { ServiceClient } from './service-client';

/** What other services ask of the users service. */
export const usersApi = (client: ServiceClient) => ({
  getUser: (id: number) => client.get<User>(`${servicePrefixes.users}/${id}`),
  close: client.close,
});

/** What other services ask of the threads service. */
export const threadsApi = (client: ServiceClient) => ({
  getThread: (id: number) => client.get<Thread>(`${servicePrefixes.threads}/${id}`),
  /** Moves the thread to the top of the newest-activity list (an internal route, off the ALB). */
  touchThread: (id: number) => client.post(`${internalPrefixes.threads}/${id}/activity`),
  close: client.close,
});

export type UsersApi = ReturnType<typeof usersApi>;
export type ThreadsApi = ReturnType<typeof threadsApi>;
