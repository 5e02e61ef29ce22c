import type { Compilable, CompiledQuery, QueryResult } from 'kysely';
import { renamedRows, type DriverRow } from './row-names';

/** What runs a compiled query: a Kysely instance or a transaction. */
export interface QueryRunner {
  executeQuery<R>(query: CompiledQuery<R>): Promise<QueryResult<R>>;
  withoutPlugins(): Pick<QueryRunner, 'executeQuery'>;
}

/** Stands in for an argument while the query is built; found again among the compiled parameters. */
class Argument {
  constructor(readonly index: number) {}
}

/**
 * A query built and compiled by Kysely once, at start-up, run with each call's arguments: the
 * hot reads do not pay for the query builder, the plugins' node transforms and the compiler on
 * every request, and each row is renamed in one copy (see renamedRows). `build` takes the
 * arguments it declares and may use them only as values (in comparisons, `limit`), never to
 * shape the query; an argument it does not use as a value is refused here, at start-up.
 */
export function compiledQuery<A extends unknown[], O>(db: QueryRunner, build: (...args: A) => Compilable<O>): (...args: A) => Promise<O[]> {
  const run = compileWithArguments(db, build.length, (args) => build(...(args as A)));
  return (...args: A) => run(args);
}

/** Statements of every shape kept at most; more (which validated input never makes) are compiled each time. */
const MOST_SHAPES = 32;

/**
 * compiledQuery for a statement whose shape depends on which fields an object holds, such as an
 * UPDATE's SET list: compiled the first time each set of fields comes (in their order; fields that
 * are `undefined` are left out), then run like compiledQuery. `build` takes the fields and then
 * the arguments it declares, all used as values only.
 */
export function compiledPerShape<F extends object, A extends unknown[], O>(
  db: QueryRunner,
  build: (fields: F, ...args: A) => Compilable<O>,
): (fields: F, ...args: A) => Promise<O[]> {
  const shapes = new Map<string, (values: unknown[]) => Promise<O[]>>();
  return (fields, ...args) => {
    const entries = Object.entries(fields).filter(([, value]) => value !== undefined);
    const names = entries.map(([name]) => name);
    const shape = names.join(',');
    let run = shapes.get(shape);
    if (!run) {
      run = compileWithArguments(db, names.length + build.length - 1, (values) =>
        build(Object.fromEntries(names.map((name, i) => [name, values[i]])) as F, ...(values.slice(names.length) as A)),
      );
      if (shapes.size < MOST_SHAPES) shapes.set(shape, run);
    }
    return run([...entries.map(([, value]) => value), ...args]);
  };
}

/** Compiles `build` once with `count` stand-in arguments; runs it with each call's values. */
export function compileWithArguments<O>(
  db: QueryRunner,
  count: number,
  build: (args: unknown[]) => Compilable<O>,
): (args: unknown[]) => Promise<O[]> {
  const run = compileForDriverRows(db, count, build);
  return async (args) => renamedRows<O>(await run(args));
}

/**
 * compileWithArguments giving the rows as the driver made them, named as in SQL: the query is
 * compiled with the plugins (the SQL names snake_case) and run without them, so no plugin copies
 * the rows on the way out.
 */
export function compileForDriverRows(
  db: QueryRunner,
  count: number,
  build: (args: unknown[]) => Compilable<unknown>,
): (args: unknown[]) => Promise<DriverRow[]> {
  const markers = Array.from({ length: count }, (_, index) => new Argument(index));
  const compiled = build(markers).compile() as CompiledQuery<DriverRow>;
  const slots = compiled.parameters.map((value): { argument?: number; value?: unknown } =>
    value instanceof Argument ? { argument: value.index } : { value },
  );
  for (const marker of markers) {
    if (!slots.some((slot) => slot.argument === marker.index))
      throw new Error(`compiledQuery: argument ${marker.index} is not a value of ${compiled.sql}`);
  }
  const driver = db.withoutPlugins();
  return async (args) => {
    const parameters = slots.map((slot) => (slot.argument === undefined ? slot.value : args[slot.argument]));
    return (await driver.executeQuery<DriverRow>({ ...compiled, parameters })).rows;
  };
}
