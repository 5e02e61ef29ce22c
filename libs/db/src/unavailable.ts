import type { DatabaseConnection, Dialect, Driver, Kysely, QueryResult, TransactionSettings, CompiledQuery } from 'kysely';
import { AppError } from '@forum/errors';

// Connection-level failures: the database is down, unreachable, restarting or too slow. Anything
// else (a constraint, a syntax error) is a real error and stays as it is.
const networkCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'EHOSTUNREACH']);
const postgresStates = /^(08|57P0[1-3]|57014|53300)/; // connection exception, shutdown, query cancelled (timeout), too many connections
const poolMessages =
  /timeout exceeded when trying to connect|Connection terminated|Client has encountered a connection error|connection is not open/i;

export function isConnectionError(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  if (code === 'service_unavailable') return true; // already mapped by this module
  return (
    networkCodes.has(code) ||
    postgresStates.test(code) ||
    code === 'SQLITE_BUSY' ||
    code === 'SQLITE_CANTOPEN' ||
    poolMessages.test(String(e?.message ?? ''))
  );
}

const unavailable = (cause: unknown) => new AppError('service_unavailable', 'The database is unavailable; try again shortly', { cause });
const mapped = <T>(promise: Promise<T>): Promise<T> =>
  promise.catch((error: unknown) => {
    throw isConnectionError(error) ? unavailable(error) : error;
  });

/** Wraps a dialect so that losing the database surfaces as a 503 problem, not a 500. */
export function mapUnavailable(dialect: Dialect): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createIntrospector: (db: Kysely<unknown>) => dialect.createIntrospector(db),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createDriver: () => new MappingDriver(dialect.createDriver()),
  };
}

class MappingDriver implements Driver {
  constructor(private readonly inner: Driver) {}
  init = () => mapped(this.inner.init());
  acquireConnection = async (): Promise<DatabaseConnection> => new MappingConnection(await mapped(this.inner.acquireConnection()));
  beginTransaction = (c: DatabaseConnection, s: TransactionSettings) => mapped(this.inner.beginTransaction(unwrap(c), s));
  commitTransaction = (c: DatabaseConnection) => mapped(this.inner.commitTransaction(unwrap(c)));
  rollbackTransaction = (c: DatabaseConnection) => mapped(this.inner.rollbackTransaction(unwrap(c)));
  releaseConnection = (c: DatabaseConnection) => this.inner.releaseConnection(unwrap(c));
  destroy = () => this.inner.destroy();
}

class MappingConnection implements DatabaseConnection {
  constructor(readonly inner: DatabaseConnection) {}
  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return mapped(this.inner.executeQuery<R>(query));
  }
  streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery<R>(query, chunkSize);
  }
}

const unwrap = (c: DatabaseConnection) => (c instanceof MappingConnection ? c.inner : c);
