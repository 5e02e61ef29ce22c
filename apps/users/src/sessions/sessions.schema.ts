import { z } from 'zod';
import { bodySchema } from '@forum/contracts';

const required = (max: number) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })
    .min(1, { message: 'must not be empty' })
    .max(max, { message: `must have at most ${max} characters` });

export const signInBody = bodySchema({ username: required(64), password: required(256) });

export type SignIn = z.output<typeof signInBody>;
