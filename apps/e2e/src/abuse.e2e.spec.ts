import { startStack, type StartedStack } from './stack';

/**
 * The stack as an attacker meets it: through the local ALB on :8080 (here a free port) and, where
 * the finding was about reaching a service directly, on the service's own port.
 */
describe('abuse resistance of the stack', () => {
  let stack: StartedStack;
  beforeAll(async () => {
    stack = await startStack({ REGISTRATIONS_PER_CLIENT_PER_MINUTE: '10' });
  });
  afterAll(async () => {
    if (stack.process.exitCode === null) await stack.stop();
  });
  const report = (line: string) => process.stdout.write(`${line}\n`);
  const servicePort = (service: 'users' | 'threads' | 'posts') => stack.ports[{ users: 1, threads: 2, posts: 3 }[service]];
  const json = async (res: Response) => ({ status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> });
  const post = (base: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const signIn = async (username: string, password: string) => {
    const res = await json(await post(stack.baseUrl, '/api/users/session', { username, password }));
    expect(res.status).toBe(200);
    return { authorization: `Bearer ${String(res.body['accessToken'])}` };
  };

  it('when the internal activity bump is called through the local ALB, then 404 problem+json and the thread list keeps its order; Service Connect (the service port) still reaches it with a token', async () => {
    const finn = await signIn('finn', 'forum-demo-password');
    const order = async () => ((await json(await fetch(`${stack.baseUrl}/api/threads`))).body['items'] as { id: number }[]).map((t) => t.id);
    const before = await order();
    const last = before.at(-1)!;
    for (const [path, body] of [
      ['/internal/threads/activity', { ids: [last] }],
      [`/internal/threads/${last}/activity`, {}],
      [`/api/threads/${last}/activity`, {}],
    ] as const) {
      const res = await json(await post(stack.baseUrl, path, body, finn));
      expect(res).toMatchObject({ status: 404, body: { code: 'route_not_found' } });
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
    expect(await order()).toEqual(before);
    const direct = `http://127.0.0.1:${servicePort('threads')}`;
    expect((await post(direct, '/internal/threads/activity', { ids: [last] })).status).toBe(401);
    expect(await json(await post(direct, '/internal/threads/activity', { ids: [last, 999999] }, finn))).toMatchObject({
      status: 200,
      body: { missing: [999999] },
    });
    expect((await order())[0]).toBe(last);
    // The one-thread form, which posts tasks of the previous release call during a rolling deploy.
    const next = (await order()).at(-1)!;
    expect((await post(direct, `/internal/threads/${next}/activity`, {})).status).toBe(401);
    expect((await post(direct, `/internal/threads/${next}/activity`, {}, finn)).status).toBe(204);
    expect((await order())[0]).toBe(next);
  });

  it('when 50 bodies over the limit are sent in a row through the local ALB, then all 50 are 413 problem+json', async () => {
    // 900 KB: far over the 64 KiB limit, big enough that the proxy is still sending when the service
    // answers (at 200 KB the socket buffers hide the problem), under the 1 MiB that is read and discarded.
    const big = JSON.stringify({ username: 'big', displayName: 'x'.repeat(900_000), password: 'long enough' });
    const statuses: number[] = [];
    for (let i = 0; i < 50; i++) {
      const res = await fetch(`${stack.baseUrl}/api/users`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: big });
      statuses.push(res.status);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      await res.text();
    }
    expect(statuses).toEqual(Array(50).fill(413));
  });

  it('when 50 wrong passwords for one username arrive at once through the local ALB, then at most LOGIN_FAILURES_PER_USERNAME (10) are checked and 40 are 429', async () => {
    const guesses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        post(stack.baseUrl, '/api/users/session', { username: 'jake', password: `guess ${i}` }, { 'x-forwarded-for': `198.51.100.${i + 1}` }).then(
          json,
        ),
      ),
    );
    const count = (status: number) => guesses.filter((g) => g.status === status).length;
    report(
      `50 parallel wrong passwords for one username: ${count(401)} checked (401), ${count(503)} refused by the hash bound (503), ${count(429)} refused by the limit (429)`,
    );
    // Ten failure slots are reserved; a reserved guess that found every hash slot busy is 503, unchecked.
    expect(count(401)).toBeLessThanOrEqual(10);
    expect(count(401) + count(503)).toBe(10);
    expect(count(429)).toBe(40);
  });

  it('when 200 registrations flood the users service from 200 addresses, 50 at a time, then an honest sign-in still takes under 500 ms', async () => {
    const users = `http://127.0.0.1:${servicePort('users')}`;
    const quietStarted = Date.now();
    await signIn('marceline', 'forum-demo-password');
    const quietMs = Date.now() - quietStarted;
    let next = 0;
    const flood = Promise.all(
      Array.from({ length: 50 }, async () => {
        const statuses: number[] = [];
        while (next < 200) {
          const i = next++;
          const body = { username: `flood${process.pid}x${i}`, displayName: 'Flood', password: 'flood password' };
          statuses.push((await post(users, '/api/users', body, { 'x-forwarded-for': `10.9.${i >> 8}.${i & 255}` })).status);
        }
        return statuses;
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = Date.now();
    const honest = await post(
      users,
      '/api/users/session',
      { username: 'marceline', password: 'forum-demo-password' },
      { 'x-forwarded-for': '192.0.2.10' },
    );
    const signInMs = Date.now() - started;
    const statuses = (await flood).flat();
    const count = (status: number) => statuses.filter((s) => s === status).length;
    report(
      `registration flood: honest sign-in ${signInMs} ms (${quietMs} ms without the flood); flood answered 201 x ${count(201)}, 503 x ${count(503)}, 429 x ${count(429)}`,
    );
    expect(honest.status).toBe(200);
    expect(signInMs).toBeLessThan(500);
    expect(statuses.every((s) => [201, 429, 503].includes(s))).toBe(true);
  });

  it('when a service process is killed, then the launcher says so, restarts it, and the API answers again', async () => {
    const pid = Number(/\[stack\] posts started \(pid (\d+)\)/.exec(stack.output())?.[1]);
    expect(pid).toBeGreaterThan(0);
    process.kill(pid, 'SIGKILL');
    const deadline = Date.now() + 20000;
    let status = 0;
    while (Date.now() < deadline && !(status === 200 && /\[stack\] posts restarted/.test(stack.output()))) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      status = await fetch(`${stack.baseUrl}/api/posts/in-thread/1`).then(
        (res) => res.status,
        () => 0,
      );
    }
    expect(stack.output()).toContain(`[stack] posts (pid ${pid}) exited with SIGKILL; restarting it in 500 ms`);
    expect(stack.output()).toMatch(/\[stack\] posts restarted \(pid \d+\)/);
    expect(status).toBe(200);
  }, 30000);
});
