import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { eventually } from '@forum/testing';
import { isListening, startStack, type StartedStack } from './stack';

/** The `npm start` stack, driven over real HTTP through the local ALB, as a curl user would. */
describe('the forum behind the local ALB', () => {
  let stack: StartedStack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    if (stack.process.exitCode === null) await stack.stop();
  });

  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${stack.baseUrl}${path}`, {
      method,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
  };

  it('when started on an empty data folder, then the demo data of the original sample is served', async () => {
    const users = await call('GET', '/api/users');
    expect(users.body.items.map((u: { username: string }) => u.username)).toEqual(['marceline', 'finn', 'pb', 'jake']);
    const threads = await call('GET', '/api/threads');
    expect(threads.body.items).toHaveLength(3);
    expect(threads.body.items[0]).toMatchObject({ title: 'In search of a new guitar', authorId: 1 });
    const posts = await call('GET', '/api/posts/in-thread/2');
    expect(posts.body.items.map((p: { text: string }) => p.text)).toEqual([
      'I have to try their tarts!',
      "I'm planning to stop by in the morning to try their croissants.",
      'I could go for a chocolate eclair!',
    ]);
    expect((await call('GET', '/api/posts/by-user/1')).body.items).toHaveLength(2);
    expect((await call('GET', '/api/users/4')).body).toMatchObject({ username: 'jake', displayName: 'Jake Storm' });
    // npm start is development: a browser page on any origin may call it.
    expect((await call('GET', '/api/threads', undefined, { origin: 'http://localhost:5173' })).headers.get('access-control-allow-origin')).toBe(
      'http://localhost:5173',
    );
  });

  const signIn = async (username: string, password: string) => {
    const session = await call('POST', '/api/users/session', { username, password });
    expect(session.status).toBe(200);
    return { authorization: `Bearer ${session.body.accessToken}` };
  };

  it('when a demo user signs in with the demo password, then their token lets them post', async () => {
    const finn = await signIn('finn', 'forum-demo-password');
    const post = await call('POST', '/api/posts', { threadId: 1, text: 'Mathematical!' }, finn);
    expect(post.body).toMatchObject({ authorId: 2, text: 'Mathematical!' });
  });

  it('when a user registers, signs in, and creates, reads, updates and deletes a thread and a post, then every step is seen through the ALB', async () => {
    const user = await call('POST', '/api/users', { username: 'bmo', displayName: 'BMO', bio: 'Game console', password: 'who wants to play' });
    expect(user.status).toBe(201);
    const bmo = await signIn('BMO', 'who wants to play');
    expect((await call('PATCH', `/api/users/${user.body.id}`, { bio: 'Living game console' }, bmo)).body.bio).toBe('Living game console');

    const thread = await call('POST', '/api/threads', { title: 'Best video games?' }, bmo);
    expect(thread.body).toMatchObject({ authorId: user.body.id });
    expect((await call('PATCH', `/api/threads/${thread.body.id}`, { title: 'Best video games ever?' }, bmo)).status).toBe(200);

    const post = await call('POST', '/api/posts', { threadId: 1, text: 'Football is fun too' }, bmo);
    expect(post.status).toBe(201);
    // A new post moves its thread to the top of the list (the bump leaves after the post's answer).
    await eventually(async () => expect((await call('GET', '/api/threads?limit=1')).body.items[0].id).toBe(1), 5000);
    expect((await call('PATCH', `/api/posts/${post.body.id}`, { text: 'Edited' }, bmo)).body.text).toBe('Edited');
    expect((await call('GET', `/api/posts/by-user/${user.body.id}`)).body.items).toEqual([expect.objectContaining({ text: 'Edited' })]);

    for (const path of [`/api/posts/${post.body.id}`, `/api/threads/${thread.body.id}`, `/api/users/${user.body.id}`]) {
      expect((await call('DELETE', path, undefined, bmo)).status).toBe(204);
      expect((await call('GET', path)).status).toBe(404);
    }
  });

  it('when a post names a missing thread, then 422 from the cross-service check', async () => {
    const jake = await signIn('jake', 'forum-demo-password');
    expect((await call('POST', '/api/posts', { threadId: 999, text: 'x' }, jake)).body).toMatchObject({ status: 422, code: 'unknown_reference' });
  });

  it.each([
    ['malformed JSON', 400, 'malformed_json', 'POST', '/api/users', '{"username":', {}],
    ['a missing field', 400, 'validation_failed', 'POST', '/api/users', { username: 'nopass', displayName: 'x' }, {}],
    ['an unknown field', 400, 'validation_failed', 'POST', '/api/users/session', { username: 'finn', password: 'x', admin: true }, {}],
    [
      'an over-long string',
      400,
      'validation_failed',
      'POST',
      '/api/users',
      { username: 'u'.repeat(33), displayName: 'x', password: 'long enough' },
      {},
    ],
    ['a body over the limit', 413, 'payload_too_large', 'POST', '/api/users', { username: 'big', displayName: 'x'.repeat(70000) }, {}],
    ['no token on a write', 401, 'unauthorized', 'POST', '/api/threads', { title: 'anonymous' }, {}],
    ['a garbage token', 401, 'unauthorized', 'POST', '/api/posts', { threadId: 1, text: 'x' }, { authorization: 'Bearer a.b.c' }],
    ['wrong credentials', 401, 'unauthorized', 'POST', '/api/users/session', { username: 'finn', password: 'wrong password' }, {}],
    ['a form body', 415, 'unsupported_media_type', 'POST', '/api/users', 'a=b', { 'content-type': 'application/x-www-form-urlencoded' }],
    ['a malformed id', 404, 'not_found', 'GET', '/api/threads/abc', undefined, {}],
    ['an unknown route', 404, 'route_not_found', 'GET', '/api/users/1/friends', undefined, {}],
    ['a path no service owns', 404, 'route_not_found', 'GET', '/api/comments', undefined, {}],
    ['a wrong method', 405, 'method_not_allowed', 'PUT', '/api/posts/1', { text: 'x' }, {}],
    ['a duplicate username', 409, 'conflict', 'POST', '/api/users', { username: 'FINN', displayName: 'Finn', password: 'long enough' }, {}],
  ])('when a request has %s, then %i %s in problem+json', async (_what, status, code, method, path, body, headers) => {
    const res = await call(method, path, body, headers);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.body).toMatchObject({ status, code, type: expect.any(String), title: expect.any(String), detail: expect.any(String) });
    if (status === 405) expect(res.headers.get('allow')).toBe('HEAD, GET, PATCH, DELETE');
  });

  it('when a request carries X-Request-Id, then the answer carries it and the log lines of every service it touched do', async () => {
    const pb = await signIn('pb', 'forum-demo-password');
    const res = await call('POST', '/api/posts', { threadId: 2, text: 'traced' }, { ...pb, 'x-request-id': 'e2e-trace-1' });
    expect(res.headers.get('x-request-id')).toBe('e2e-trace-1');
    // Log lines leave in batches, within 250 ms.
    const servicesLogging = () =>
      new Set(
        stack
          .output()
          .split('\n')
          .filter((line) => line.includes('"requestId":"e2e-trace-1"'))
          .map((line) => JSON.parse(line).service),
      );
    for (let waited = 0; servicesLogging().size < 3 && waited < 3000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    expect(servicesLogging()).toEqual(new Set(['posts', 'threads', 'users']));
  });

  it('when the smoke stage runs against the stack, then every check passes and it leaves nothing behind', async () => {
    const usersBefore = (await call('GET', '/api/users?limit=100')).body.items.length;
    const smoke = spawnSync(process.execPath, [resolve(__dirname, '../../../dist/tools/main.js'), 'smoke', stack.baseUrl], { encoding: 'utf8' });
    expect(smoke.stdout).toMatch(/^smoke http:\/\/127\.0\.0\.1:\d+: 6 passed, 0 failed$/m);
    expect(smoke.status).toBe(0);
    expect((await call('GET', '/api/users?limit=100')).body.items.length).toBe(usersBefore);
  });

  it('when the smoke stage meets a broken service, then it fails with exit code 1', async () => {
    const smoke = spawnSync(process.execPath, [resolve(__dirname, '../../../dist/tools/main.js'), 'smoke', `${stack.baseUrl}/nowhere`], {
      encoding: 'utf8',
    });
    expect(smoke.stdout).toContain('FAIL users health');
    expect(smoke.status).toBe(1);
  });

  it('when the launcher gets SIGTERM, then it stops every service and exits 0', async () => {
    const code = await stack.stop();
    expect(code).toBe(0);
    for (const port of stack.ports) expect(await isListening(port)).toBe(false);
  });
});
