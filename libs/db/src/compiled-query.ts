import type { Compilable, CompiledQuery, QueryResult } from 'kysely';

/** What runs a compiled query: a Kysely instance or a transaction. */
export interface QueryRunner {
  executeQuery<R>(query: CompiledQuery<R>): Promise<QueryResult<R>>;
}

/** Stands in for an argument while the query is built; found again among the compiled parameters. */
class Argument {
  constructor(readonly index: number) {}
}

/**
 * A query built and compiled by Kysely once, at start-up, run with each call's arguments: the
 * hot reads do not pay for the query builder, the plugins' node transforms and the compiler on
 * every request (result transforms, such as CamelCasePlugin's, still run). `build` takes the
 * arguments it declares and may use them only as values (in comparisons, `limit`), never to
 * shape the query; an argument it does not use as a value is refused here, at start-up.
 */
export function compiledQuery<A extends unknown[], O>(db: QueryRunner, build: (...args: A) => Compilable<O>): (...args: A) => Promise<O[]> {
  const markers = Array.from({ length: build.length }, (_, index) => new Argument(index));
  const compiled: CompiledQuery<O> = build(...(markers as unknown as A)).compile();
  const slots = compiled.parameters.map((value): { argument?: number; value?: unknown } =>
    value instanceof Argument ? { argument: value.index } : { value },
  );
  for (const marker of markers) {
    if (!slots.some((slot) => slot.argument === marker.index))
      throw new Error(`compiledQuery: argument ${marker.index} is not a value of ${compiled.sql}`);
  }
  return async (...args: A): Promise<O[]> => {
    const parameters = slots.map((slot) => (slot.argument === undefined ? slot.value : args[slot.argument]));
    return (await db.executeQuery<O>({ ...compiled, parameters })).rows;
  };
}
