import type { Compilable } from 'kysely';
import DataLoader from 'dataloader';
import { compileWithArguments, type QueryRunner } from './compiled-query';

/** Most ids read in one statement; more wait for the next. */
const MOST_PER_BATCH = 64;

/**
 * Reads of rows by id that arrive together go to the database together: every id asked for while
 * the process handles one batch of network events (until `setImmediate`) is read with one
 * statement, `id IN (...)`. Under load that is one round trip, one pooled connection and one
 * statement for many requests instead of one each; a lone request waits for nothing. Nothing is
 * remembered between batches (the read cache decides what is kept); an id asked for twice in a
 * batch is read once. When the statement fails, every read of the batch fails with its error. The
 * statement runs in the context of the batch's first read: a trace shows it under that request.
 */
export function batchedById<T extends { id: number }>(readMany: (ids: number[]) => Promise<T[]>): (id: number) => Promise<T | undefined> {
  const loader = new DataLoader<number, T | undefined>(
    async (ids) => {
      const rows = await readMany([...new Set(ids)]);
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id));
    },
    { cache: false, maxBatchSize: MOST_PER_BATCH, batchScheduleFn: (run) => setImmediate(run) },
  );
  return (id) => loader.load(id);
}

/**
 * compiledQuery for a statement over a list of ids (`where('id', 'in', ids)`): compiled once per
 * size, the sizes rounded up to a power of two with the last id repeated, so a service prepares at
 * most seven statements for it (1 to 64 ids).
 */
export function compiledForIds<O>(db: QueryRunner, build: (ids: number[]) => Compilable<O>): (ids: number[]) => Promise<O[]> {
  const bySize = new Map<number, (args: unknown[]) => Promise<O[]>>();
  return (ids) => {
    if (ids.length === 0) return Promise.resolve([]);
    let size = 1;
    while (size < ids.length) size *= 2;
    let run = bySize.get(size);
    if (!run) {
      run = compileWithArguments(db, size, (args) => build(args as number[]));
      bySize.set(size, run);
    }
    return run(Array.from({ length: size }, (_, i) => ids[Math.min(i, ids.length - 1)]));
  };
}
