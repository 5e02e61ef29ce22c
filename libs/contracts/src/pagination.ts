import { z } from 'zod';
import { validationFailed } from '@forum/errors';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** `?limit=&cursor=` of every list route. */
export const pageQuerySchema = z.strictObject({
  limit: z
    .string()
    .regex(/^\d{1,3}$/, { message: `must be an integer from 1 to ${MAX_PAGE_SIZE}` })
    .transform(Number)
    .pipe(
      z
        .number()
        .min(1, { message: `must be an integer from 1 to ${MAX_PAGE_SIZE}` })
        .max(MAX_PAGE_SIZE, { message: `must be an integer from 1 to ${MAX_PAGE_SIZE}` }),
    )
    .default(DEFAULT_PAGE_SIZE),
  cursor: z.string().max(200, { message: 'is not a valid cursor' }).optional(),
});

export type PageQuery = z.output<typeof pageQuerySchema>;

/** Cursors are opaque to clients: the sort key of the last item, base64url-encoded JSON. */
export function encodeCursor(key: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor<S extends z.ZodType>(cursor: string, schema: S): z.output<S> {
  try {
    return schema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw validationFailed([{ field: 'query.cursor', code: 'invalid_cursor', message: 'is not a valid cursor' }]);
  }
}

/** Cuts a result fetched with `limit + 1` rows into a page; the extra row proves there is more. */
export function toPage<T>(rows: T[], limit: number, keyOf: (item: T) => Record<string, string | number>) {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(keyOf(last)) : null };
}
