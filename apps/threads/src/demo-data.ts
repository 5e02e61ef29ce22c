import type { ThreadsRepository } from './threads/threads.repository';

/** The three threads of the original sample, by the sample's user ids. */
export const demoThreads = [
  { title: 'Did you see the Brazil game?', authorId: 4 },
  { title: 'New French bakery opening in the neighborhood tomorrow', authorId: 3 },
  { title: 'In search of a new guitar', authorId: 1 },
];

/** Inserts the demo threads into an empty database, a minute apart; returns how many. */
export async function seedDemoThreads(threads: ThreadsRepository, now = Date.now()): Promise<number> {
  if (!(await threads.isEmpty())) return 0;
  for (const [i, thread] of demoThreads.entries()) {
    const at = new Date(now - (demoThreads.length - i) * 60000).toISOString();
    await threads.insert({ ...thread, createdAt: at, updatedAt: at, lastActivityAt: at });
  }
  return demoThreads.length;
}
