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
  const activity = `${internalPrefixes.threads}/activity`;
  // Every bump asked for while the process handles one round of network events (until
  // setImmediate) goes in one call: under load one request and one UPDATE on the threads side
  // for many posts instead of one each (ids sorted, so concurrent batches lock rows in one
  // order). The call carries the request id and the token of the batch's first bump (the route
  // only checks that a signed-in user asks); a failed call fails every bump of its batch.
  const bumps = new DataLoader<number, boolean>(
    async (ids) => {
      const unique = [...new Set(ids)].sort((a, b) => a - b);
      const answer = await client.post<ThreadsBumped>(activity, { ids: unique });
      // A threads task of the previous release has no such route (404) during a rolling deploy:
      // one call per thread, as it expects.
      const missing = answer === undefined ? await missingOneByOne(unique) : answer?.missing;
      if (!Array.isArray(missing)) throw new AppError('upstream_error', 'The threads service did not say which threads are missing');
      const gone = new Set(missing);
      return ids.map((id) => !gone.has(id));
    },
    { cache: false, maxBatchSize: MOST_THREADS_PER_BUMP, batchScheduleFn: (run) => setImmediate(run) },
  );
  const missingOneByOne = async (ids: number[]): Promise<number[]> => {
    const found = await Promise.all(ids.map((id) => client.post(`${internalPrefixes.threads}/${id}/activity`)));
    return ids.filter((_, i) => found[i] === undefined);
  };
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
