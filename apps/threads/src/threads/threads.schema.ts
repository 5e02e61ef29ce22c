import { z } from 'zod';
import { bodySchema, idField, MOST_THREADS_PER_BUMP, patchSchema, textField } from '@forum/contracts';

const title = textField(1, 200);

// The author is the signed-in caller, never a field of the body.
export const createThreadBody = bodySchema({ title });
export const updateThreadBody = patchSchema({ title });

// The posts service's bumps (an internal route): the threads that each got a new post.
// zod checks the length before the elements: a long list of bad ids is one error, not one per id.
export const bumpThreadsBody = bodySchema({
  ids: z
    .array(idField(), { error: 'must be an array of thread ids' })
    .min(1, { message: 'must name at least one thread' })
    .max(MOST_THREADS_PER_BUMP, { message: `must name at most ${MOST_THREADS_PER_BUMP} threads` }),
});

export type CreateThread = z.output<typeof createThreadBody>;
export type UpdateThread = z.output<typeof updateThreadBody>;
