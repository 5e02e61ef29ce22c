import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger } from 'pino';

export type { Logger } from 'pino';

/** What travels with a request through the code that serves it, without being passed down. */
export interface RequestContext {
  /** Ties the request's log lines together, across services too (X-Request-Id). */
  requestId: string;
  /** The caller's credentials as received (`Bearer <token>`), for calls made on its behalf. */
  credentials: string | undefined;
  /** The request's logger: every line carries the request id. */
  log: Logger;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** Runs `serve` (and everything it awaits) inside the request's context. */
export const runInRequest = <T>(context: RequestContext, serve: () => T): T => storage.run(context, serve);

/** The request being served, or undefined outside one (start-up, background work). */
export const currentRequest = (): RequestContext | undefined => storage.getStore();

/** The logger of the request being served, else `fallback` (the process's logger). */
export const logFor = (fallback: Logger): Logger => storage.getStore()?.log ?? fallback;
