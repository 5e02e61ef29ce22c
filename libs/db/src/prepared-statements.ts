import type { Database as SqliteConnection, Statement } from 'better-sqlite3';
import type { PostgresPool, PostgresPoolClient, SqliteDatabase } from 'kysely';
import type { Pool, PoolClient } from 'pg';

/** At most this many distinct SQL texts are kept prepared (a service has a few dozen). */
const MAX_STATEMENTS = 500;

/**
 * Kysely asks better-sqlite3 to prepare every query anew; this keeps one prepared statement per
 * SQL text (better-sqlite3 statements are reusable, and SQLite re-prepares one itself when the
 * schema changes under it).
 */
export function reusingStatements(connection: SqliteConnection): SqliteDatabase {
  const statements = new Map<string, Statement>();
  return {
    prepare: (text) => {
      let statement = statements.get(text);
      if (!statement) {
        statement = connection.prepare(text);
        if (statements.size < MAX_STATEMENTS) statements.set(text, statement);
      }
      return statement;
    },
    close: () => connection.close(),
  };
}

const DML = /^\s*(select|insert|update|delete|with)\b/i;

/**
 * Kysely sends each query to PostgreSQL as an unnamed statement, parsed and planned every time;
 * this names each SQL text, so pg prepares it once per connection and later executions only bind.
 */
export function preparingPool(pool: Pool): PostgresPool {
  const names = new Map<string, string>();
  const nameOf = (text: string): string | undefined => {
    let name = names.get(text);
    if (!name && names.size < MAX_STATEMENTS && DML.test(text)) {
      name = `forum_${names.size + 1}`;
      names.set(text, name);
    }
    return name;
  };
  const wrap = (client: PoolClient): PostgresPoolClient => ({
    query: ((text: unknown, values?: unknown[]) => {
      if (typeof text !== 'string') return client.query(text as never);
      const name = nameOf(text);
      return name ? client.query({ name, text, values: values as unknown[] }) : client.query(text, values as unknown[]);
    }) as unknown as PostgresPoolClient['query'],
    release: (destroy?: boolean) => client.release(destroy),
  });
  return {
    connect: async () => wrap(await pool.connect()),
    end: () => pool.end(),
  };
}
