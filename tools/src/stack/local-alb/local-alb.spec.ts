import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { hangingHandler, startStubService, type StubService } from '@forum/testing';
import { createLocalAlb } from './local-alb';
import { albRoutes, matchRoute } from './routes';

const copilotDir = resolve(__dirname, '../../../../copilot');

describe('local ALB', () => {
  let users: StubService;
  let threads: StubService;
  let alb: Server;
  let base: string;

  beforeEach(async () => {
    const echo = (name: string) =>
      startStubService((req, res) =>
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ name, url: req.url, headers: req.headers })),
      );
    users = await echo('users');
    threads = await echo('threads');
    alb = createLocalAlb({
      routes: albRoutes(copilotDir, { users: users.url, threads: threads.url, posts: 'http://127.0.0.1:1' }),
      targetTimeoutMs: 300,
    });
    await new Promise<void>((resolve) => alb.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(alb.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    alb.closeAllConnections();
    await new Promise((resolve) => alb.close(resolve));
    await users.close();
    await threads.close();
  });

  const get = async (path: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${base}${path}`, { headers });
    const body = (await res.json()) as { headers: Record<string, string> } & Record<string, unknown>;
    return {
      status: res.status,
      type: res.headers.get('content-type'),
      nosniff: res.headers.get('x-content-type-options'),
      csp: res.headers.get('content-security-policy'),
      body,
    };
  };

  it('when a path is under a service prefix, then that service gets it with the full path and query', async () => {
    expect((await get('/api/users/1?x=1')).body).toMatchObject({ name: 'users', url: '/api/users/1?x=1' });
    expect((await get('/api/threads')).body).toMatchObject({ name: 'threads', url: '/api/threads' });
    expect((await get('/api/users?limit=2')).body).toMatchObject({ name: 'users', url: '/api/users?limit=2' });
  });

  it('when forwarding, then X-Forwarded-* and an ALB trace id are added; a client trace id is kept', async () => {
    const { headers } = (await get('/api/users')).body;
    expect(headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(headers['x-forwarded-proto']).toBe('http');
    expect(headers['x-amzn-trace-id']).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    expect((await get('/api/users', { 'x-amzn-trace-id': 'Root=1-abc' })).body.headers['x-amzn-trace-id']).toBe('Root=1-abc');
  });

  it('when a path only looks like a prefix or no service owns it, then 404 problem+json with the security headers', async () => {
    for (const path of ['/api/usersx', '/api', '/', '/api/comments/1', '/internal/threads/1/activity']) {
      const res = await get(path);
      expect(res).toMatchObject({
        status: 404,
        type: 'application/problem+json',
        nosniff: 'nosniff',
        csp: "default-src 'none';frame-ancestors 'none'",
      });
      expect(res.body).toMatchObject({ status: 404, code: 'route_not_found' });
    }
  });

  it('when the target is down, then 502; when it hangs, then 504; both problem+json with the security headers', async () => {
    const down = await get('/api/posts/1');
    expect(down).toMatchObject({
      status: 502,
      type: 'application/problem+json',
      nosniff: 'nosniff',
      csp: "default-src 'none';frame-ancestors 'none'",
    });
    expect(down.body).toMatchObject({ status: 502, code: 'bad_gateway', type: 'urn:forum:problem:bad-gateway' });
    users.answer(hangingHandler);
    const slow = await get('/api/users/1');
    expect(slow).toMatchObject({ status: 504, type: 'application/problem+json', nosniff: 'nosniff' });
    expect(slow.body).toMatchObject({ status: 504, code: 'gateway_timeout' });
  });

  it('when the request headers are over 16 KiB, then 431 problem+json with the security headers', async () => {
    const res = await fetch(`${base}/api/users`, { headers: { 'x-big': 'a'.repeat(20000) } });
    expect(res.status).toBe(431);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.json()).toMatchObject({ status: 431, code: 'headers_too_large' });
  });

  it('when the routes are read from the Copilot manifests, then each prefix matches whole path segments', () => {
    const routes = albRoutes(copilotDir, { users: 'u', threads: 't', posts: 'p' });
    expect(routes.map((r) => r.pathPrefix).sort()).toEqual(['/api/posts', '/api/threads', '/api/users']);
    expect(matchRoute(routes, '/api/posts/in-thread/1')?.service).toBe('posts');
    expect(matchRoute(routes, '/api/postsy')).toBeUndefined();
  });
});
