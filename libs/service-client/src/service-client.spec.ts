import pino from 'pino';
import { MOST_THREADS_PER_BUMP } from '@forum/contracts';
import { runInRequest } from '@forum/context';
import { freePorts } from '@forum/process';
import { failingHandler, hangingHandler, resourcesHandler, startStubService, STUB_TIME_LIMIT_MS, type StubService } from '@forum/testing';
import { threadsApi, usersApi } from './forum-clients';
import { createServiceClient } from './service-client';

describe('service client', () => {
  let stub: StubService;
  beforeEach(async () => {
    stub = await startStubService(resourcesHandler('/api/users', new Map([[1, { id: 1, username: 'finn' }]])));
  });
  afterEach(() => stub.close());

  const users = (timeoutMs = STUB_TIME_LIMIT_MS, baseUrl = stub.url) => usersApi(createServiceClient({ service: 'users', baseUrl, timeoutMs }));
  const threadsClient = () => threadsApi(createServiceClient({ service: 'threads', baseUrl: stub.url, timeoutMs: STUB_TIME_LIMIT_MS }));

  it("when the resource exists, then it is returned, and the request id and the caller's credentials of the request being served travel along", async () => {
    const request = { requestId: 'req-42', credentials: 'Bearer a.b.c', log: pino({ enabled: false }) };
    expect(await runInRequest(request, () => users().getUser(1))).toEqual({ id: 1, username: 'finn' });
    expect(stub.requests[0]).toMatchObject({ line: 'GET /api/users/1', headers: { 'x-request-id': 'req-42', authorization: 'Bearer a.b.c' } });
  });

  it('when a call is made outside any request, then it carries no request id and no credentials', async () => {
    await users().getUser(1);
    expect(stub.requests[0]?.headers).not.toHaveProperty('x-request-id');
    expect(stub.requests[0]?.headers).not.toHaveProperty('authorization');
  });

  it('when the other service says 404, then undefined', async () => {
    expect(await users().getUser(2)).toBeUndefined();
  });

  it('when the other service hangs, then 504 within the time limit', async () => {
    stub.answer(hangingHandler);
    const started = Date.now();
    await expect(users(200).getUser(1)).rejects.toMatchObject({ status: 504, code: 'upstream_timeout' });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('when a call is made after the client was closed, then it is refused as unavailable and nothing is sent', async () => {
    const client = users();
    await client.getUser(1);
    await client.close();
    await expect(client.getUser(1)).rejects.toMatchObject({ status: 503, code: 'upstream_unavailable' });
    const unused = users();
    await unused.close();
    await expect(unused.getUser(1)).rejects.toMatchObject({ status: 503, code: 'upstream_unavailable' });
    expect(stub.requests).toHaveLength(1);
  });

  it('when the other service fails, then 503 without its body', async () => {
    stub.answer(failingHandler);
    const error = (await users()
      .getUser(1)
      .catch((e: unknown) => e)) as Error;
    expect(error).toMatchObject({ status: 503, code: 'upstream_unavailable' });
    expect(error.message).not.toContain('stack trace');
  });

  it('when the other service is down, then a read is retried once and then 503', async () => {
    const [closed] = await freePorts(1);
    await expect(users(STUB_TIME_LIMIT_MS, `http://127.0.0.1:${closed}`).getUser(1)).rejects.toMatchObject({
      status: 503,
      message: 'The users service is unreachable',
    });
  });

  it('when a connection drops once, then the retried read succeeds', async () => {
    let dropped = false;
    const answer = resourcesHandler('/api/users', new Map([[1, { id: 1 }]]));
    stub.answer((req, res, body) => {
      if (!dropped) {
        dropped = true;
        req.socket.destroy();
        return;
      }
      answer(req, res, body);
    });
    expect(await users().getUser(1)).toEqual({ id: 1 });
    expect(stub.requests).toHaveLength(2);
  });

  it('when threads are bumped together, then one POST carries their ids once each, and each learns whether its thread exists', async () => {
    stub.answer(resourcesHandler('/internal/threads', new Map([[3, { id: 3 }]])));
    const threads = threadsClient();
    expect(await Promise.all([threads.touchThread(3), threads.touchThread(4), threads.touchThread(3)])).toEqual([true, false, true]);
    expect(await threads.touchThread(4)).toBe(false);
    expect(stub.requests.map((r) => [r.line, r.headers['content-type'], JSON.parse(r.body)])).toEqual([
      ['POST /internal/threads/activity', 'application/json', { ids: [3, 4] }],
      ['POST /internal/threads/activity', 'application/json', { ids: [4] }],
    ]);
  });

  it('when more bumps come at once than one call may carry, then they go in calls of at most that many', async () => {
    stub.answer(resourcesHandler('/internal/threads', new Map()));
    const threads = threadsClient();
    const ids = Array.from({ length: MOST_THREADS_PER_BUMP + 1 }, (_, i) => i + 1);
    expect(await Promise.all(ids.map((id) => threads.touchThread(id)))).toEqual(ids.map(() => false));
    expect(stub.requests.map((r) => (JSON.parse(r.body) as { ids: number[] }).ids.length)).toEqual([MOST_THREADS_PER_BUMP, 1]);
  });

  it('when the bump call fails or its answer does not list the missing threads, then every bump of its batch fails, and a bump asked for just before closing is still sent', async () => {
    const threads = threadsClient();
    stub.answer(failingHandler);
    const failed = await Promise.allSettled([threads.touchThread(3), threads.touchThread(4)]);
    expect(failed.map((r) => r.status === 'rejected' && (r.reason as { code?: string }).code)).toEqual([
      'upstream_unavailable',
      'upstream_unavailable',
    ]);
    stub.answer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"missing":3}'));
    await expect(threads.touchThread(3)).rejects.toMatchObject({ code: 'upstream_error' });
    stub.answer(resourcesHandler('/internal/threads', new Map([[3, { id: 3 }]])));
    const last = threads.touchThread(3);
    await threads.close();
    expect(await last).toBe(true);
    expect(stub.requests).toHaveLength(3);
  });

  it('when threads has no route for several threads (a task of the previous release), then each thread is bumped on its own route', async () => {
    const older = resourcesHandler('/internal/threads', new Map([[3, { id: 3 }]]));
    stub.answer((req, res, body) => (req.url === '/internal/threads/activity' ? res.writeHead(404).end() : older(req, res, body)));
    const threads = threadsClient();
    expect(await Promise.all([threads.touchThread(4), threads.touchThread(3)])).toEqual([false, true]);
    expect(stub.requests.map((r) => r.line).sort()).toEqual([
      'POST /internal/threads/3/activity',
      'POST /internal/threads/4/activity',
      'POST /internal/threads/activity',
    ]);
  });

  it('when posts of different callers bump together, then the one call carries the request id and credentials of the first', async () => {
    stub.answer(resourcesHandler('/internal/threads', new Map([[3, { id: 3 }]])));
    const threads = threadsClient();
    const as = (requestId: string, credentials: string) => ({ requestId, credentials, log: pino({ enabled: false }) });
    const bumped = await Promise.all([
      runInRequest(as('req-1', 'Bearer first.a.b'), () => threads.touchThread(3)),
      runInRequest(as('req-2', 'Bearer second.a.b'), () => threads.touchThread(4)),
    ]);
    expect(bumped).toEqual([true, false]);
    expect(stub.requests.map((r) => [r.line, r.headers['x-request-id'], r.headers['authorization'], JSON.parse(r.body)])).toEqual([
      ['POST /internal/threads/activity', 'req-1', 'Bearer first.a.b', { ids: [3, 4] }],
    ]);
  });
});
