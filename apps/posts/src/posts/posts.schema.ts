import type { z } from 'zod';
import { bodySchema, idField, patchSchema, textField } from '@forum/contracts';

const text = textField(1, 10000);

// authorId comes from the body until requests are authenticated; then it is the caller.
export const createPostBody = bodySchema({ threadId: idField(), authorId: idField(), text });
export const updatePostBody = patchSchema({ text });

export type CreatePost = z.output<typeof createPostBody>;
export type UpdatePost = z.output<typeof updatePostBody>;
