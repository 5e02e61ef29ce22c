import { internalPrefixes, servicePrefixes, type Thread, type User } from '@forum/contracts';
import type { CallOptions, ServiceClient } from './service-client';

/** What other services ask of the users service. */
export const usersApi = (client: ServiceClient) => ({
  getUser: (id: number, options?: CallOptions) => client.get<User>(`${servicePrefixes.users}/${id}`, options),
});

/** What other services ask of the threads service. */
export const threadsApi = (client: ServiceClient) => ({
  getThread: (id: number, options?: CallOptions) => client.get<Thread>(`${servicePrefixes.threads}/${id}`, options),
  /** Moves the thread to the top of the newest-activity list (an internal route, off the ALB). */
  touchThread: (id: number, options?: CallOptions) => client.post(`${internalPrefixes.threads}/${id}/activity`, options),
});

export type UsersApi = ReturnType<typeof usersApi>;
export type ThreadsApi = ReturnType<typeof threadsApi>;
