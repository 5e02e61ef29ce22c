import type { ServiceName } from '@forum/contracts';
import type { RequestSpec } from './load';
import { OWNED_POSTS, type Scale } from './seed';

export interface Context {
  scale: Scale;
  token: string;
  random: (n: number) => number;
}

export interface Scenario {
  service: ServiceName;
  /** Local runs only (writes, or needs seeded data and a token). */
  localOnly?: boolean;
  next: (c: Context) => RequestSpec;
}

export const scenarios: Record<string, Scenario> = {
  // Every middleware of a service (request context, security headers, CORS, router, error handler),
  // a constant answer, no database and no access line: the most any route of this stack can reach.
  health: { service: 'threads', next: () => ({ method: 'GET', path: '/api/threads/health' }) },
  'users-by-id': { service: 'users', next: (c) => ({ method: 'GET', path: `/api/users/${c.random(c.scale.users)}` }) },
  'threads-by-id': { service: 'threads', next: (c) => ({ method: 'GET', path: `/api/threads/${c.random(c.scale.threads)}` }) },
  'posts-by-id': { service: 'posts', next: (c) => ({ method: 'GET', path: `/api/posts/${c.random(c.scale.posts)}` }) },
  'threads-page': { service: 'threads', next: () => ({ method: 'GET', path: '/api/threads?limit=20' }) },
  'posts-in-thread': { service: 'posts', next: (c) => ({ method: 'GET', path: `/api/posts/in-thread/${c.random(c.scale.threads)}?limit=20` }) },
  'create-post': {
    service: 'posts',
    localOnly: true,
    next: (c) => ({
      method: 'POST',
      path: '/api/posts',
      headers: { authorization: `Bearer ${c.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ threadId: c.random(c.scale.threads), text: 'A benchmark post, about as long as a short reply on a forum.' }),
    }),
  },
  'update-post': {
    service: 'posts',
    localOnly: true,
    next: (c) => ({
      method: 'PATCH',
      path: `/api/posts/${c.random(Math.min(OWNED_POSTS, c.scale.posts))}`,
      headers: { authorization: `Bearer ${c.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: `Edited by the benchmark at ${Date.now()}` }),
    }),
  },
};

/** The baseline: the least a Node HTTP server can do for a JSON answer. */
export const BASELINE_SERVER = `
const body = JSON.stringify({ id: 1, username: 'finn', displayName: 'Finn Alberts', bio: 'Adventurer', createdAt: new Date().toISOString(), updatedAt: new Date().toISOString() });
require('node:http').createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}).listen(Number(process.env.PORT), '127.0.0.1');`;
