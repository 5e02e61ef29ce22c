import type { Agent, request } from 'undici';
import { currentRequest } from '@forum/context';
import { AppError } from '@forum/errors';
import { traced } from './traced';

export interface ServiceClientOptions {
  /** The service's name, for messages ("the users service ..."). */
  service: string;
  /** Base URL: `http://users:3000` through Service Connect, a local URL in development. */
  baseUrl: string;
  /** Time limit of one attempt, headers and body included. */
  timeoutMs: number;
  /** Extra attempts of an idempotent GET after a connection failure (not after a timeout). */
  retries?: number;
}

/** Connections kept open to a service: enough for a busy task's calls in flight at once; more wait for one. */
const CONNECTIONS = 64;

/**
 * undici's own request API on a pool of kept-alive connections: the same HTTP client as Node's
 * fetch, without the fetch API's Request, Response and stream objects on every call. Made on the
 * first call rather than at start: undici evaluates all of itself (fetch, HTTP/2, WebSocket,
 * proxies) when first required, about 70 ms of a posts or threads start on one core
 * (docs/performance.md, Start to ready).
 */
function connectionPool(): { agent: Agent; send: typeof request } {
  const undici: typeof import('undici') = require('undici');
  return { agent: new undici.Agent({ connections: CONNECTIONS }), send: undici.request };
}

/**
 * Calls are made on behalf of the request being served (the request context): they carry its
 * id as X-Request-Id, so the callee logs under the same id, and the caller's credentials.
 */
export interface ServiceClient {
  /** GETs a resource; undefined when the other service says 404. */
  get<T>(path: string): Promise<T | undefined>;
  /**
   * POSTs `body` as JSON (nothing when it is undefined) and reads the JSON answer: null for a
   * 204 No Content, undefined when the other service says 404.
   */
  post<T>(path: string, body?: unknown): Promise<T | null | undefined>;
  /** Waits for the calls in flight, then closes the connections (at shutdown). */
  close(): Promise<void>;
}

/**
 * HTTP to another service of ours, always bounded in time, with failures turned into the
 * problem an API client can act on: 504 when it is slow, 503 when it is down or failing.
 */
export function createServiceClient(options: ServiceClientOptions): ServiceClient {
  let pool: ReturnType<typeof connectionPool> | undefined;
  let closed = false;
  const call = async (method: 'GET' | 'POST', path: string, body: string | undefined, attemptsLeft: number): Promise<Answer> => {
    const request = currentRequest();
    // After close, a call opens no new pool: it fails as on the closed one.
    if (closed) throw new AppError('upstream_unavailable', `The ${options.service} service client is closed`);
    const { agent, send } = (pool ??= connectionPool());
    try {
      return await traced(method, options.service, async (traceHeaders) => {
        const response = await send(`${options.baseUrl}${path}`, {
          method,
          dispatcher: agent,
          body,
          headers: {
            accept: 'application/json',
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            ...traceHeaders,
            ...(request?.requestId ? { 'x-request-id': request.requestId } : {}),
            ...(request?.credentials ? { authorization: request.credentials } : {}),
          },
          signal: AbortSignal.timeout(options.timeoutMs),
        });
        // The body is read once, within the same time limit.
        return { status: response.statusCode, body: await response.body.text() };
      });
    } catch (cause) {
      if (isTimeout(cause)) {
        throw new AppError('upstream_timeout', `The ${options.service} service did not answer within ${options.timeoutMs} ms`, { cause });
      }
      if (attemptsLeft > 0) return call(method, path, body, attemptsLeft - 1);
      throw new AppError('upstream_unavailable', `The ${options.service} service is unreachable`, { cause });
    }
  };

  /** The answer's JSON; undefined for a 404; anything else but a 2xx is the problem to pass on. */
  const parsed = <T>(response: Answer): T | undefined => {
    if (response.status === 404) return undefined;
    if (response.status < 200 || response.status >= 300) {
      const detail = `The ${options.service} service answered ${response.status}`;
      throw new AppError(response.status >= 500 ? 'upstream_unavailable' : 'upstream_error', detail);
    }
    try {
      return JSON.parse(response.body) as T;
    } catch (cause) {
      throw new AppError('upstream_error', `The ${options.service} service answered with invalid JSON`, { cause });
    }
  };

  return {
    get: async <T>(path: string): Promise<T | undefined> => parsed<T>(await call('GET', path, undefined, options.retries ?? 1)),
    // Not retried: the other side may have acted on the first attempt.
    post: async <T>(path: string, body?: unknown): Promise<T | null | undefined> => {
      const response = await call('POST', path, body === undefined ? undefined : JSON.stringify(body), 0);
      return response.status === 204 ? null : parsed<T>(response);
    },
    close: async () => {
      closed = true;
      await pool?.agent.close();
    },
  };
}

interface Answer {
  status: number;
  body: string;
}

function isTimeout(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return name === 'TimeoutError' || name === 'AbortError';
}
