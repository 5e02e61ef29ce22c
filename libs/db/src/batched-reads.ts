import { sql, type Compilable, type Kysely, type SelectQueryBuilder } from 'kysely';
import DataLoader from 'dataloader';
import { compileForDriverRows, compileWithArguments, type QueryRunner } from './compiled-query';
import { columnsOf, renamed } from './row-names';

/** Most ids or pages read in one statement; more wait for the next. */
const MOST_PER_BATCH = 64;
/** Loads collected until the process has handled its current round of network events. */
const BATCHING = { cache: false, maxBatchSize: MOST_PER_BATCH, batchScheduleFn: (run: () => void) => setImmediate(run) } as const;

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
  const loader = new DataLoader<number, T | undefined>(async (ids) => {
    const rows = await readMany([...new Set(ids)]);
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id));
  }, BATCHING);
  return (id) => loader.load(id);
}

/**
 * compiledQuery for a statement over a list of ids (`where('id', 'in', ids)`), one statement per
 * size (see perSize), padded by repeating the last id. `build` may declare further arguments after
 * the ids, used as values only, as compiledQuery's.
 */
export function compiledForIds<O, A extends unknown[] = []>(
  db: QueryRunner,
  build: (ids: number[], ...args: A) => Compilable<O>,
): (ids: number[], ...args: A) => Promise<O[]> {
  const statementFor = perSize((size) =>
    compileWithArguments(db, size + build.length - 1, (args) => build(args.slice(0, size) as number[], ...(args.slice(size) as A))),
  );
  return (ids, ...args) => {
    if (ids.length === 0) return Promise.resolve([]);
    const { size, run } = statementFor(ids.length);
    return run([...Array.from({ length: size }, (_, i) => ids[Math.min(i, ids.length - 1)]), ...args]);
  };
}

/** The column that marks each row of a statement of several pages with the page it answers; no table has it. */
const BATCH_INDEX = 'batch_index';

/** One page of a list: the rows of `key` after `cursor` in the list's order, at most `limit`. */
export type PageRequest = readonly [key: number, cursor: number, limit: number];

/**
 * batchedById for pages: every page asked for in one round of network events is read with one
 * statement (see compiledForPages), each request answered with its own rows. As with
 * batchedById, nothing is kept between batches, a failed statement fails every page of its batch,
 * and the statement runs in the context of the batch's first request.
 */
export function batchedPages<T>(
  readMany: (pages: readonly PageRequest[]) => Promise<T[][]>,
): (key: number, cursor: number, limit: number) => Promise<T[]> {
  const loader = new DataLoader<PageRequest, T[]>(readMany, BATCHING);
  return (key, cursor, limit) => loader.load([key, cursor, limit]);
}

/**
 * Several pages of one list in one statement: `build` is the statement of one page, and the
 * statement run is a `UNION ALL` of one such select per page, each row marked with the page it
 * answers; one statement per size (see perSize), padded with pages of limit 0, which read
 * nothing. Rows are told apart by their mark, so how the engine interleaves the arms does not
 * matter; within an arm they come in the order of its ordered, limited subquery, which neither
 * engine reorders when it appends the arms (the tests check both). Each row is renamed in the copy
 * that leaves its mark out (see renamedRows).
 */
export function compiledForPages<DB, TB extends keyof DB, O>(
  db: Kysely<DB>,
  build: (key: number, cursor: number, limit: number) => SelectQueryBuilder<DB, TB, O>,
): (pages: readonly PageRequest[]) => Promise<O[][]> {
  // select <i> as batch_index, page.* from (<page i>) as page union all ...
  const union = (args: unknown[]) => {
    const pages = Array.from({ length: args.length / 3 }, (_, i) => {
      const page = build(args[3 * i] as number, args[3 * i + 1] as number, args[3 * i + 2] as number);
      return sql`select ${sql.lit(i)} as ${sql.id(BATCH_INDEX)}, page.* from ${page} as page`;
    });
    return sql`${sql.join(pages, sql` union all `)}`;
  };
  const statementFor = perSize((size) => compileForDriverRows(db, size * 3, (args) => ({ compile: () => union(args).compile(db) })));
  return async (pages) => {
    if (pages.length === 0) return [];
    const { size, run } = statementFor(pages.length);
    const args = Array.from({ length: size }, (_, i) => pages[i] ?? [0, 0, 0]).flat();
    const answers = pages.map((): O[] => []);
    const rows = await run(args);
    const columns = columnsOf(rows, BATCH_INDEX);
    for (const row of rows) answers[row[BATCH_INDEX] as number].push(renamed<O>(row, columns));
    return answers;
  };
}

/**
 * One statement per size, compiled the first time a size comes: counts are rounded up to a power
 * of two, so a list of 1 to 64 ids or pages has at most seven statements (and PostgreSQL as many
 * prepared statements per connection), 1 to 128 eight.
 */
function perSize<O>(compile: (size: number) => (args: unknown[]) => Promise<O[]>) {
  const bySize = new Map<number, (args: unknown[]) => Promise<O[]>>();
  return (count: number) => {
    let size = 1;
    while (size < count) size *= 2;
    let run = bySize.get(size);
    if (!run) {
      run = compile(size);
      bySize.set(size, run);
    }
    return { size, run };
  };
}
