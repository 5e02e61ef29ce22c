import { z } from 'zod';
import { bodySchema, patchSchema, textField } from '@forum/contracts';

const username = textField(2, 32).pipe(
  z.string().regex(/^[A-Za-z0-9_-]+$/, { message: 'may contain only letters, digits, "_" and "-"' }),
);

const fields = {
  displayName: textField(1, 64),
  bio: textField(0, 500),
};

export const createUserBody = bodySchema({ username, ...fields, bio: fields.bio.optional() });
export const updateUserBody = patchSchema({ username, ...fields });

export type CreateUser = z.output<typeof createUserBody>;
export type UpdateUser = z.output<typeof updateUserBody>;
