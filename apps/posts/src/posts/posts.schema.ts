import type { z } from 'zod';
import { bodySchema, idField, patchSchema, textField } from '@forum/contracts';

const text = textField(1, 10000);

// The author is the signed-in caller, never a field of the body.
export const createPostBody = bodySchema({ threadId: idField(), text });
export const updatePostBody = patchSchema({ text });

export type CreatePost = z.output<typeof createPostBody>;
export type UpdatePost = z.output<typeof updatePostBody>;
