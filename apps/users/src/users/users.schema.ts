import { z } from 'zod';
import { bodySchema, patchSchema, textField } from '@forum/contracts';

const username = textField(2, 32).pipe(z.string().regex(/^[A-Za-z0-9_-]+$/, { message: 'may contain only letters, digits, "_" and "-"' }));

/** Any characters; long enough to resist guessing, short enough to bound the hashing work. */
export const password = z
  .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })
  .min(8, { message: 'must have at least 8 characters' })
  .max(256, { message: 'must have at most 256 characters' });

const fields = {
  displayName: textField(1, 64),
  bio: textField(0, 500),
};

export const createUserBody = bodySchema({ username, password, ...fields, bio: fields.bio.optional() });
export const updateUserBody = patchSchema({ username, ...fields, password, currentPassword: z.string().max(256).optional() }).refine(
  (v) => v.password === undefined || v.currentPassword !== undefined,
  { message: 'is required to change the password', path: ['currentPassword'] },
);

export type CreateUser = z.output<typeof createUserBody>;
export type UpdateUser = z.output<typeof updateUserBody>;
