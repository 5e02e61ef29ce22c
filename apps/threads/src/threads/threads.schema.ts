import type { z } from 'zod';
import { bodySchema, idField, patchSchema, textField } from '@forum/contracts';

const title = textField(1, 200);

// authorId comes from the body until requests are authenticated; then it is the caller.
export const createThreadBody = bodySchema({ title, authorId: idField() });
export const updateThreadBody = patchSchema({ title });

export type CreateThread = z.output<typeof createThreadBody>;
export type UpdateThread = z.output<typeof updateThreadBody>;
