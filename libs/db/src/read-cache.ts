import type { Invalidations } from './invalidations';

export interface ReadCacheOptions {
  table: string;
  invalidations: Invalidations;
  /** Most entries kept (least recently used go first). */
  max?: number;
  /** Longest an entry is served, as a safety net behind the announcements. */
  ttlMs?: number;
}

/**
 * A read-through cache of rows by id, for hot reads. A write calls `changed(id)` after it
 * committed: the entry goes here at once and in every other task when the announcement arrives.
 * A read that raced a change is not cached (entries are stored only when no change was announced
 * while the row was being read), so a stale row is never kept past the announcement.
 */
export function readCache<T extends object>(options: ReadCacheOptions) {
  const max = options.max ?? 10000;
  const ttlMs = options.ttlMs ?? 60000;
  const entries = new Map<number, { value: T; expires: number }>();
  let changes = 0;
  options.invalidations.subscribe(options.table, (id) => {
    changes += 1;
    if (id === 'all') entries.clear();
    else entries.delete(id);
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
        entries.set(id, { value: Object.freeze(value), expires: Date.now() + ttlMs });
        if (entries.size > max) entries.delete(entries.keys().next().value as number);
      }
      return value;
    },
    /** Call after a write of this row committed. */
    changed: (id: number): Promise<void> => options.invalidations.publish(options.table, id),
  };
}

export type ReadCache<T extends object> = ReturnType<typeof readCache<T>>;
