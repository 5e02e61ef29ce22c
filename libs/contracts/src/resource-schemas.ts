import { z } from 'zod';
import type { Page, Post, Thread, User } from './resources';

// The resources as zod schemas, for the OpenAPI documents and the contract tests; the type
// checks at the bottom keep them and the interfaces in resources.ts the same shape.
const id = z.number().int().positive();
const timestamp = z.iso.datetime();

export const userSchema = z
  .strictObject({ id, username: z.string(), displayName: z.string(), bio: z.string(), createdAt: timestamp, updatedAt: timestamp })
  .meta({ id: 'User' });

export const threadSchema = z
  .strictObject({
    id,
    title: z.string(),
    authorId: id,
    createdAt: timestamp,
    updatedAt: timestamp,
    lastActivityAt: timestamp.meta({ description: 'Creation of the thread or of its newest post; lists are ordered by it, newest first.' }),
  })
  .meta({ id: 'Thread' });

export const postSchema = z
  .strictObject({ id, threadId: id, authorId: id, text: z.string(), createdAt: timestamp, updatedAt: timestamp })
  .meta({ id: 'Post' });

/** A page of a list; `nextCursor` goes back as `?cursor=` for the next page, null at the end. */
export const pageSchema = <T extends z.ZodType>(item: T, name: string) =>
  z.strictObject({ items: z.array(item), nextCursor: z.string().nullable() }).meta({ id: `${name}Page` });

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const same = <T extends true>(): T => true as T;
same<Same<z.output<typeof userSchema>, User>>();
same<Same<z.output<typeof threadSchema>, Thread>>();
same<Same<z.output<typeof postSchema>, Post>>();
same<Same<z.output<ReturnType<typeof pageSchema<typeof postSchema>>>, Page<Post>>>();
