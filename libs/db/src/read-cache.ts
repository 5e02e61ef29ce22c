import { LRUCache } from 'lru-cache';
import type { Invalidations } from './invalidations';

export interface ReadCacheOptions<T extends object = object> {
  table: string;
  invalidations: Invalidations;
  /** Heap the entries may take, estimated by `approximateBytes` (least recently used go first); 0 keeps nothing. */
  maxBytes?: number;
  /** Longest an entry is served, as a safety net behind the announcements. */
  ttlMs?: number;
  /**
   * Entries that depend on many rows (the first page of a list): any change of the table drops
   * them all, not only the entry of the row's id.
   */
  dropOnAnyChange?: boolean;
  /** Estimated heap of an entry; `approximateBytes` by default (a flat row). */
  sizeOf?: (value: T) => number;
  /**
   * Keep a row only on its second miss while the first is remembered (see recentMisses), so that
   * rows read once (a scan of the ids, or reads spread evenly over a table larger than the
   * budget) neither evict the rows read often nor churn the heap.
   */
  keepOnSecondMiss?: boolean;
}

/** The default budget of one table's cache: a small share of a 512 MB task. */
export const DEFAULT_CACHE_BYTES = 16 * 1024 * 1024;

// Fitted to the heap 100,000 cached user rows took on Node 24 (772 bytes each: lru-cache's slots,
// the frozen row, and the JSON and ETag the HTTP layer keeps beside a frozen row, json-response.ts),
// so that the estimate is at or a little above it.
const ENTRY_BYTES = 450;
const FIELD_BYTES = 16;

/**
 * About how much heap a cached row holds: a fixed part per entry and per field, and each string
 * twice (the row's value and its copy in the JSON kept for answering). Rows are flat objects of
 * strings and numbers.
 */
export function approximateBytes(row: object): number {
  let bytes = ENTRY_BYTES;
  for (const [key, value] of Object.entries(row)) {
    bytes += FIELD_BYTES + key.length + (typeof value === 'string' ? 2 * value.length : 8);
  }
  return bytes;
}

/**
 * A read-through cache of rows by id (or of answers by a number, such as a page size), for hot
 * reads, bounded in bytes. A write calls `changed(id)` after it committed: the entry goes here at
 * once and in every other task when the announcement arrives. A read that raced a change is not
 * cached (entries are stored only when no change was announced while the row was being read), so
 * a stale row is never kept past the announcement.
 */
export function readCache<T extends object>(options: ReadCacheOptions<T>) {
  const sizeOf = options.sizeOf ?? approximateBytes;
  const maxBytes = options.maxBytes ?? DEFAULT_CACHE_BYTES;
  // lru-cache keeps the recency order in linked arrays: evicting the oldest entry is constant
  // time. (A Map used as the order costs more the more entries were evicted from its front: about
  // 12 µs per miss at 20,000 entries, as much as a whole answer of the baseline server.) It takes
  // no budget of 0, which turns caching off (READ_CACHE_MB=0): then every read loads.
  const entries =
    maxBytes > 0
      ? new LRUCache<number, T>({ maxSize: maxBytes, sizeCalculation: (value) => Math.max(1, sizeOf(value)), ttl: options.ttlMs ?? 60000 })
      : undefined;
  const seenBefore = entries && options.keepOnSecondMiss ? recentMisses(maxBytes) : () => true;
  let changes = 0;
  options.invalidations.subscribe(options.table, (id) => {
    changes += 1;
    if (id === 'all' || options.dropOnAnyChange) entries?.clear();
    else entries?.delete(id);
  });

  return {
    get: async (id: number, load: (id: number) => Promise<T | undefined>): Promise<T | undefined> => {
      if (!entries || !options.invalidations.ready) return load(id);
      const hit = entries.get(id);
      if (hit !== undefined) return hit;
      const before = changes;
      const value = await load(id);
      if (value && changes === before && options.invalidations.ready && seenBefore(id)) entries.set(id, Object.freeze(value));
      return value;
    },
    /** Call after a write of this row committed. */
    changed: (id: number): Promise<void> => options.invalidations.publish(options.table, id),
    /** What the entries are estimated to take, and how many there are. */
    size: () => ({ bytes: entries?.calculatedSize ?? 0, entries: entries?.size ?? 0 }),
  };
}

export type ReadCache<T extends object> = ReturnType<typeof readCache<T>>;

/** The cache of a table's rows by id that each service keeps: a row is kept from its second miss. */
export const rowCache = <T extends object>(table: string, invalidations: Invalidations, maxBytes?: number): ReadCache<T> =>
  readCache<T>({ table, invalidations, maxBytes, keepOnSecondMiss: true });

/**
 * The ids that missed lately, for a cache of `maxBytes`: a table of one id per slot (the id modulo
 * the slot count, so no two ids of a run as long as the table collide), where a newer id takes the
 * slot of an older one. About one slot per 512 bytes of budget, in a typed array: 16 MB gives
 * 32,768 slots, 256 KB outside the JavaScript heap, and nothing allocated per read. An id collides
 * with another one sooner or later, so a row read again after many other misses counts as read
 * once more; a row read often is kept on its second miss.
 */
function recentMisses(maxBytes: number): (id: number) => boolean {
  const slots = Math.min(1 << 21, Math.max(1024, Math.ceil(maxBytes / 512)));
  const ids = new Float64Array(slots).fill(Number.NaN);
  return (id) => {
    const slot = id % slots;
    if (ids[slot] === id) return true;
    ids[slot] = id;
    return false;
  };
}
