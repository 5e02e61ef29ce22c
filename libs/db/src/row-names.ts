import { CamelCasePlugin } from 'kysely';

/** How every service's database names things: snake_case in SQL, camelCase in TypeScript. */
class Naming extends CamelCasePlugin {
  /** A name in SQL as the plugin gives it in rows. */
  inTypeScript(name: string): string {
    return this.camelCase(name);
  }
}
export const camelCase = new Naming();

/** A row as the driver gives it, named as in SQL. */
export type DriverRow = Record<string, unknown>;

/** The camelCase of each column name met so far: the schema's names, a few dozen. */
const camelNames = new Map<string, string>();
const camelName = (name: string): string => {
  let camel = camelNames.get(name);
  if (camel === undefined) {
    camel = camelCase.inTypeScript(name);
    camelNames.set(name, camel);
  }
  return camel;
};

/** The columns of a result: their names in SQL and, at the same places, in TypeScript. */
export interface Columns {
  readonly from: readonly string[];
  readonly to: readonly string[];
}

/**
 * The columns of a result's rows (every row of one has the same; none when it has no row), less
 * the one named `leaveOut` in SQL.
 */
export function columnsOf(rows: readonly DriverRow[], leaveOut?: string): Columns {
  const from = rows.length === 0 ? [] : Object.keys(rows[0]).filter((name) => name !== leaveOut);
  return { from, to: from.map(camelName) };
}

/**
 * The row as `camelCase` would give it, built in one copy with the columns of its result. An
 * indexed loop: iterating pairs would make iterator objects for every row where the loop is not
 * optimized, more garbage than the row itself.
 */
export function renamed<O>(row: DriverRow, { from, to }: Columns): O {
  const named: DriverRow = {};
  for (let i = 0; i < from.length; i++) named[to[i]] = row[from[i]];
  return named as O;
}

/**
 * Rows as `camelCase`'s result transform gives them, made in one copy each. The plugin maps every
 * row with `Object.keys` and renames each key anew; a statement's rows share their columns, so
 * here they are named once per result. Values are copied as they are: the plugin would also
 * rename the keys of a JSON object inside a column, which no statement compiled once selects.
 */
export function renamedRows<O>(rows: DriverRow[]): O[] {
  const columns = columnsOf(rows);
  return rows.map((row) => renamed<O>(row, columns));
}
