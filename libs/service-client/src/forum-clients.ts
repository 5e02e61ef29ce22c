import DataLoader from 'dataloader';
import { AppError } from '@forum/errors';
import { internalPrefixes, MOST_THREADS_PER_BUMP, servicePrefixes, type Thread, type ThreadsBumped, type User } from '@forum/contracts';
import type { ServiceClient } from './service-client';

/** What other services ask of the users service. */
export const usersApi = (client: ServiceClient) => ({
  getUser: (id: number) => client.get<User>(`${servicePrefixes.users}/${id}`),
  close: client.close,
});

/** What other services ask of the threads service. */
export function threadsApi(client: ServiceClient) {
  // Every bump asked for while the process handles one round of network events (until
  // setImmediate) goes in one call: under load one request and one UPDATE on the threads side
  // for many posts instead of one each. The call carries the request id and the token of the
  // batch's first bump (the route only checks that a signed-in user asks); a failed call fails
  // every bump of its batch.
  const bumps = new DataLoader<number, boolean>(
    async (ids) => {
      const answer = await client.post<ThreadsBumped>(`${internalPrefixes.threads}/activity`, { ids: [...new Set(ids)] });
      if (!Array.isArray(answer?.missing)) throw new AppError('upstream_error', 'The threads service did not say which threads are missing');
      const missing = new Set(answer.missing);
      return ids.map((id) => !missing.has(id));
    },
    { cache: false, maxBatchSize: MOST_THREADS_PER_BUMP, batchScheduleFn: (run) => setImmediate(run) },
  );
  return {
    getThread: (id: number) => client.get<Thread>(`${servicePrefixes.threads}/${id}`),
    /** Moves the thread to the top of the newest-activity list (an internal route, off the ALB); false when it is missing. */
    touchThread: (id: number): Promise<boolean> => bumps.load(id),
    /** Sends the bumps already asked for, waits for the calls in flight, then closes. */
    close: async (): Promise<void> => {
      await new Promise((resolve) => setImmediate(resolve));
      await client.close();
    },
  };
}

export type UsersApi = ReturnType<typeof usersApi>;
export type ThreadsApi = ReturnType<typeof threadsApi>;
