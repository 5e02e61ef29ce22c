import type { Invalidations } from './invalidations';

export interface ReadCacheOptions<T extends object = object> {
  table: string;
  invalidations: Invalidations;
  /** Heap the entries may take, estimated by `approximateBytes` (least recently used go first). */
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
}

/** The default budget of one table's cache: a small share of a 512 MB task. */
export const DEFAULT_CACHE_BYTES = 16 * 1024 * 1024;

// Fitted to the heap 100,000 cached rows took on Node 24 (a user 733 bytes, a post 783: the entry,
// the frozen row and its map slot, and the JSON and ETag the HTTP layer keeps beside a frozen row,
// json-response.ts), so that the estimate is within a few percent of it or above.
const ENTRY_BYTES = 420;
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
  const ttlMs = options.ttlMs ?? 60000;
  const entries = new Map<number, { value: T; bytes: number; expires: number }>();
  let bytes = 0;
  let changes = 0;
  const drop = (id: number) => {
    const entry = entries.get(id);
    if (!entry) return;
    entries.delete(id);
    bytes -= entry.bytes;
  };
  options.invalidations.subscribe(options.table, (id) => {
    changes += 1;
    if (id === 'all' || options.dropOnAnyChange) {
      entries.clear();
      bytes = 0;
    } else drop(id);
  });

  return {
    get: async (id: number, load: (id: number) => Promise<T | undefined>): Promise<T | undefined> => {
      if (!options.invalidations.ready) return load(id);
      const hit = entries.get(id);
      if (hit && hit.expires > Date.now()) {
        entries.delete(id); // re-inserted: most recently used last
        entries.set(id, hit);
        return hit.value;
      }
      const before = changes;
      const value = await load(id);
      if (value && changes === before && options.invalidations.ready) {
        drop(id);
        const entry = { value: Object.freeze(value), bytes: sizeOf(value), expires: Date.now() + ttlMs };
        entries.set(id, entry);
        bytes += entry.bytes;
        for (const oldest of entries.keys()) {
          if (bytes <= maxBytes) break;
          drop(oldest);
        }
      }
      return value;
    },
    /** Call after a write of this row committed. */
    changed: (id: number): Promise<void> => options.invalidations.publish(options.table, id),
    /** What the entries are estimated to take, and how many there are. */
    size: () => ({ bytes, entries: entries.size }),
  };
}

export type ReadCache<T extends object> = ReturnType<typeof readCache<T>>;
