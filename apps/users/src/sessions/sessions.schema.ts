import { z } from 'zod';
import { bodySchema, textField } from '@forum/contracts';

export const signInBody = bodySchema({
  // Looked up in the database: no NUL or broken Unicode (PostgreSQL refuses those in text).
  username: textField(1, 64),
  password: z
    .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })
    .min(1, { message: 'must not be empty' })
    .max(256, { message: 'must have at most 256 characters' }),
});

export type SignIn = z.output<typeof signInBody>;
