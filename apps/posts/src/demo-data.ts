import type { PostsRepository } from './posts/posts.repository';

/** The six posts of the original sample, by its thread and user ids. */
export const demoPosts = [
  { threadId: 1, authorId: 4, text: 'That last goal was awesome!' },
  { threadId: 1, authorId: 2, text: 'Yes, the way the ball swerved... What talent!' },
  { threadId: 2, authorId: 3, text: 'I have to try their tarts!' },
  { threadId: 2, authorId: 2, text: "I'm planning to stop by in the morning to try their croissants." },
  { threadId: 2, authorId: 1, text: 'I could go for a chocolate eclair!' },
  { threadId: 3, authorId: 1, text: 'I need a new acoustic guitar at a good price.' },
];

/** Inserts the demo posts into an empty database; returns how many. */
export async function seedDemoPosts(posts: PostsRepository, at = new Date().toISOString()): Promise<number> {
  if (!(await posts.isEmpty())) return 0;
  for (const post of demoPosts) await posts.insert({ ...post, createdAt: at, updatedAt: at });
  return demoPosts.length;
}
