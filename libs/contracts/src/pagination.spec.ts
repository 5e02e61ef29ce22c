import { z } from 'zod';
import { decodeCursor, encodeCursor, pageQuerySchema, toPage } from './pagination';
import { validate } from './validation';

describe('pagination', () => {
  it('when a cursor is encoded and decoded, then the key comes back', () => {
    const cursor = encodeCursor({ at: '2025-01-01T00:00:00.000Z', id: 7 });
    expect(decodeCursor(cursor, z.object({ at: z.string(), id: z.number() }))).toEqual({ at: '2025-01-01T00:00:00.000Z', id: 7 });
  });

  it.each(['not-base64!', encodeCursor({ id: 'x' }), Buffer.from('{').toString('base64url')])(
    'when the cursor %j is not one of ours, then it is a 400 naming the cursor',
    (cursor) => {
      expect(() => decodeCursor(cursor, z.object({ id: z.number() }))).toThrow(
        expect.objectContaining({ status: 400, errors: [expect.objectContaining({ field: 'query.cursor' })] }),
      );
    },
  );

  it('when the query is empty, then the default page size applies', () => {
    expect(validate(pageQuerySchema, {}, 'query')).toEqual({ limit: 20 });
  });

  it.each(['0', '101', 'ten', '5.5', '-1'])('when limit is %j, then it is rejected', (limit) => {
    expect(() => validate(pageQuerySchema, { limit }, 'query')).toThrow(expect.objectContaining({ status: 400 }));
  });

  it('when more rows than the limit were fetched, then the page has a cursor to the last item', () => {
    const page = toPage([{ id: 1 }, { id: 2 }, { id: 3 }], 2, (r) => ({ id: r.id }));
    expect(page.items).toEqual([{ id: 1 }, { id: 2 }]);
    expect(page.nextCursor).toBe(encodeCursor({ id: 2 }));
    expect(toPage([{ id: 1 }], 2, (r) => ({ id: r.id })).nextCursor).toBeNull();
  });
});
