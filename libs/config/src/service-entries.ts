import { env } from './entries';

/** The entries every service has; each service adds its own to these. */
export const serviceEntries = {
  PORT: env.port('TCP port the service listens on (the ALB target group forwards to 3000).', 3000),
  HOST: env.string('Interface to bind.', '0.0.0.0'),
  LOG_LEVEL: env.enumeration(
    'pino log level.',
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const,
    'info',
  ),
  DATABASE_URL: env.optionalDatabaseUrl('PostgreSQL connection URL; when set, PostgreSQL is used instead of SQLite.'),
  DB_SECRET: env.optionalString(
    'Aurora/RDS secret as JSON ({"host","port","dbname","username","password"}), as Copilot injects it; used when DATABASE_URL is not set.',
  ),
  DB_SCHEMA: env.optionalString('PostgreSQL schema holding this service\'s tables (default: the service name).'),
  DB_POOL_SIZE: env.integer('Maximum PostgreSQL connections per task.', 10, 1, 100),
  DATA_DIR: env.string('Folder of the embedded SQLite database files (used when no PostgreSQL is configured).', './data'),
  DEMO_DATA: env.boolean('Insert the demo data when the database is empty (npm start turns it on).', false),
  BODY_LIMIT_BYTES: env.integer('Largest accepted request body in bytes; larger bodies get 413.', 65536, 1024, 10485760),
  CORS_ORIGINS: env.list(
    'Comma-separated browser origins allowed by CORS (your web front-end); none by default. "*" allows any and is for development (npm start sets it).',
    [],
  ),
  KEEP_ALIVE_TIMEOUT_MS: env.integer(
    'Idle keep-alive timeout; must exceed the ALB idle timeout (60 s) so the ALB never reuses a closed connection.',
    65000,
    1000,
  ),
  SHUTDOWN_TIMEOUT_MS: env.integer('Time allowed to finish in-flight requests after SIGTERM (ALB deregistration delay is 30 s).', 30000, 0),
};

/** Entries of a service that calls other services. */
export const upstreamEntries = {
  UPSTREAM_TIMEOUT_MS: env.integer('Time limit of one call to another service, in milliseconds.', 2000, 50, 60000),
};
