import type { z } from 'zod';
import { bodySchema, patchSchema, textField } from '@forum/contracts';

const title = textField(1, 200);

// The author is the signed-in caller, never a field of the body.
export const createThreadBody = bodySchema({ title });
export const updateThreadBody = patchSchema({ title });

export type CreateThread = z.output<typeof createThreadBody>;
export type UpdateThread = z.output<typeof updateThreadBody>;
