import { callerOf, type TokenVerifier } from '@forum/auth';
import { servicePrefixes, type Post } from '@forum/contracts';
import { rowCache, type Database } from '@forum/db';
import { createHttpApp, type Logger } from '@forum/http';
import { postsOpenApi } from './openapi';
import type { ThreadsApi, UsersApi } from '@forum/service-client';
import { postsRepository, type PostsDatabase } from './posts/posts.repository';
import { postsRoutes } from './posts/posts.routes';
import { postsService } from './posts/posts.service';

export interface PostsAppDeps {
  database: Database<PostsDatabase>;
  threads: ThreadsApi;
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

/** The posts service as a Koa app; it never listens, so tests drive it in-process. */
export function createApp(deps: PostsAppDeps) {
  const posts = postsService({
    posts: postsRepository(deps.database.db),
    threads: deps.threads,
    users: deps.users,
    logger: deps.logger,
    cache: rowCache<Post>('posts', deps.database.invalidations, deps.cacheBytes),
  });
  return createHttpApp({
    prefix: servicePrefixes.posts,
    logger: deps.logger,
    bodyLimit: deps.bodyLimit,
    corsOrigins: deps.corsOrigins,
    trustedProxies: deps.trustedProxies,
    checkReady: deps.database.ping,
    openapi: postsOpenApi,
    routes: postsRoutes(posts, callerOf(deps.verifier)),
  });
}
