import pino from 'pino';
import { runInRequest } from '@forum/context';
import { freePorts } from '@forum/process';
import { failingHandler, hangingHandler, resourcesHandler, startStubService, type StubService } from '@forum/testing';
import { threadsApi, usersApi } from './forum-clients';
import { createServiceClient } from './service-client';

describe('service client', () => {
  let stub: StubService;
  beforeEach(async () => {
    stub = await startStubService(resourcesHandler('/api/users', new Map([[1, { id: 1, username: 'finn' }]])));
  });
  afterEach(() => stub.close());

  const users = (timeoutMs = 300) => usersApi(createServiceClient({ service: 'users', baseUrl: stub.url, timeoutMs }));

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
    const client = usersApi(createServiceClient({ service: 'users', baseUrl: `http://127.0.0.1:${closed}`, timeoutMs: 300 }));
    await expect(client.getUser(1)).rejects.toMatchObject({ status: 503, message: 'The users service is unreachable' });
  });

  it('when a connection drops once, then the retried read succeeds', async () => {
    let dropped = false;
    const answer = resourcesHandler('/api/users', new Map([[1, { id: 1 }]]));
    stub.answer((req, res) => {
      if (!dropped) {
        dropped = true;
        req.socket.destroy();
        return;
      }
      answer(req, res);
    });
    expect(await users().getUser(1)).toEqual({ id: 1 });
    expect(stub.requests).toHaveLength(2);
  });

  it('when a thread is touched, then it is a POST and 404 is reported as false', async () => {
    stub.answer(resourcesHandler('/internal/threads', new Map([[3, { id: 3 }]])));
    const threads = threadsApi(createServiceClient({ service: 'threads', baseUrl: stub.url, timeoutMs: 300 }));
    expect(await threads.touchThread(3)).toBe(true);
    expect(await threads.touchThread(4)).toBe(false);
    expect(stub.requests.map((r) => r.line)).toEqual(['POST /internal/threads/3/activity', 'POST /internal/threads/4/activity']);
  });
});
