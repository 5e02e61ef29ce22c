import { readFileSync } from 'node:fs';
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
  { connectionString: string } | { host: string; port: number; database: string; user: string; password: string; ssl: VerifiedTls };

/** TLS that checks the server's chain against `ca` and its name against the host (Node's checkServerIdentity). */
export interface VerifiedTls {
  ca: string;
  rejectUnauthorized: true;
}

export interface DatabaseSettings {
  service: string;
  DATABASE_URL?: string | undefined;
  DB_SECRET?: string | undefined;
  DB_SCHEMA?: string | undefined;
  /** CA bundle the DB_SECRET host's certificate is checked against; read only with DB_SECRET. */
  DB_CA_FILE: string;
  DB_POOL_SIZE: number;
  DATA_DIR: string;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Picks the engine from configuration: DATABASE_URL (TLS as its sslmode says), else the JSON
 * secret an Aurora cluster hands to the task (TLS verified against DB_CA_FILE, read here, once,
 * at start-up), else an embedded SQLite file under DATA_DIR.
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
  if (settings.DB_SECRET) return postgres(parseSecret(settings.DB_SECRET, settings.DB_CA_FILE));
  return { engine: 'sqlite', file: resolve(join(settings.DATA_DIR, `${settings.service}.sqlite`)) };
}

function parseSecret(raw: string, caFile: string): PostgresConnection {
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
    ssl: { ca: readCaBundle(caFile), rejectUnauthorized: true },
  };
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----\s+[A-Za-z0-9+/=\s]+-----END CERTIFICATE-----/;

// Without the RDS CA the choice would be an unverified connection; start-up stops instead.
function readCaBundle(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new Error(
      `DB_CA_FILE: cannot read "${file}" (${code}); with DB_SECRET it must name the PEM bundle of the CA that signs the database certificate`,
    );
  }
  if (!PEM_CERTIFICATE.test(text))
    throw new Error(
      `DB_CA_FILE: "${file}" holds no PEM certificate; with DB_SECRET it must name the PEM bundle of the CA that signs the database certificate`,
    );
  return text;
}
