import { callerOf, type TokenVerifier } from '@forum/auth';
import { internalPrefixes, servicePrefixes, type Page, type Thread } from '@forum/contracts';
import { approximateBytes, readCache, rowCache, type Database } from '@forum/db';
import { createHttpApp, type Logger } from '@forum/http';
import { threadsOpenApi } from './openapi';
import type { UsersApi } from '@forum/service-client';
import { threadsRepository, type ThreadsDatabase } from './threads/threads.repository';
import { threadsInternalRoutes, threadsRoutes } from './threads/threads.routes';
import { threadsService } from './threads/threads.service';

export interface ThreadsAppDeps {
  database: Database<ThreadsDatabase>;
  users: UsersApi;
  logger: Logger;
  /** Heap budget of each read cache in bytes (READ_CACHE_MB); the library default when unset. */
  cacheBytes?: number;
  bodyLimit: number;
  corsOrigins: string[];
  /** Proxies whose X-Forwarded-For is believed (TRUSTED_PROXIES). */
  trustedProxies: string[];
  /** Checks the access tokens of the requests (the public key of the users service's signing key). */
  verifier: TokenVerifier;
}

/** The threads service as a Koa app; it never listens, so tests drive it in-process. */
export function createApp(deps: ThreadsAppDeps) {
  const invalidations = deps.database.invalidations;
  const cache = rowCache<Thread>('threads', invalidations, deps.cacheBytes);
  const firstPages = readCache<Page<Thread>>({
    table: 'threads',
    invalidations,
    dropOnAnyChange: true,
    maxBytes: 4 * 1024 * 1024,
    sizeOf: (page) => page.items.reduce((bytes, thread) => bytes + approximateBytes(thread), approximateBytes(page)),
  });
  const threads = threadsService({ threads: threadsRepository(deps.database.db), users: deps.users, cache, firstPages });
  const caller = callerOf(deps.verifier);
  return createHttpApp({
    prefix: servicePrefixes.threads,
    logger: deps.logger,
    bodyLimit: deps.bodyLimit,
    corsOrigins: deps.corsOrigins,
    trustedProxies: deps.trustedProxies,
    checkReady: deps.database.ping,
    openapi: threadsOpenApi,
    routes: threadsRoutes(threads, caller),
    internal: { prefix: internalPrefixes.threads, routes: threadsInternalRoutes(threads, caller) },
  });
}
