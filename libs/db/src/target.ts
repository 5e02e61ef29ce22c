import { join, resolve } from 'node:path';

export type Engine = 'sqlite' | 'postgres';

/** Where a service's data lives: one SQLite file, or one schema of a PostgreSQL database. */
export type DatabaseTarget =
  | { engine: 'sqlite'; file: string }
  | {
      engine: 'postgres';
      connection: PostgresConnection;
      schema: string;
      poolSize: number;
    };

export type PostgresConnection =
  | { connectionString: string }
  | { host: string; port: number; database: string; user: string; password: string; ssl: { rejectUnauthorized: boolean } };

export interface DatabaseSettings {
  service: string;
  DATABASE_URL?: string | undefined;
  DB_SECRET?: string | undefined;
  DB_SCHEMA?: string | undefined;
  DB_POOL_SIZE: number;
  DATA_DIR: string;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Picks the engine from configuration: DATABASE_URL, else the JSON secret an Aurora
 * cluster hands to the task, else an embedded SQLite file under DATA_DIR.
 */
export function resolveDatabaseTarget(settings: DatabaseSettings): DatabaseTarget {
  const schema = settings.DB_SCHEMA ?? settings.service;
  if (!SCHEMA_NAME.test(schema)) throw new Error(`DB_SCHEMA: "${schema}" is not a valid schema name`);
  const postgres = (connection: PostgresConnection): DatabaseTarget => ({
    engine: 'postgres',
    connection,
    schema,
    poolSize: settings.DB_POOL_SIZE,
  });
  if (settings.DATABASE_URL) return postgres({ connectionString: settings.DATABASE_URL });
  if (settings.DB_SECRET) return postgres(parseSecret(settings.DB_SECRET));
  return { engine: 'sqlite', file: resolve(join(settings.DATA_DIR, `${settings.service}.sqlite`)) };
}

function parseSecret(raw: string): PostgresConnection {
  let secret: Record<string, unknown>;
  try {
    secret = JSON.parse(raw) as Record<string, unknown>;
  } catch {
    throw new Error('DB_SECRET: is not valid JSON');
  }
  const missing = ['host', 'username', 'password'].filter((key) => typeof secret[key] !== 'string');
  if (missing.length > 0) throw new Error(`DB_SECRET: missing ${missing.join(', ')}`);
  return {
    host: secret['host'] as string,
    port: Number(secret['port'] ?? 5432),
    database: typeof secret['dbname'] === 'string' ? secret['dbname'] : 'postgres',
    user: secret['username'] as string,
    password: secret['password'] as string,
    // Aurora PostgreSQL enforces TLS; the RDS CA is not in the image's trust store.
    ssl: { rejectUnauthorized: false },
  };
}
