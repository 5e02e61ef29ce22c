/**
 * Ids another service said exist, remembered for a few seconds, so that a burst of posts in one
 * thread, or by one account, asks the threads and users services once, not once per post. Only
 * answers that something exists are kept; a thread the bump then reports missing is forgotten at
 * once. A thread or account deleted meanwhile can still be posted to for at most `ttlMs`, the same
 * window a delete landing between the check and the insert always had.
 */
export function recentlyFound(ttlMs: number, max = 100000) {
  const until = new Map<number, number>();
  return {
    has: (id: number): boolean => {
      const expires = until.get(id);
      if (expires === undefined) return false;
      if (expires > Date.now()) return true;
      until.delete(id);
      return false;
    },
    add: (id: number): void => {
      until.delete(id); // re-inserted: the oldest go first when full
      until.set(id, Date.now() + ttlMs);
      if (until.size > max) until.delete(until.keys().next().value as number);
    },
    forget: (id: number): void => {
      until.delete(id);
    },
  };
}
