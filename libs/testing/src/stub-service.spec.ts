import { aProblem } from './problems';
import { failingHandler, resourcesHandler, startStubService } from './stub-service';

describe('stub service', () => {
  it('when a known resource is asked, then it answers it; unknown ones are 404, POSTs 204', async () => {
    const stub = await startStubService(resourcesHandler('/api/users', new Map([[1, { id: 1 }]])));
    try {
      expect(await (await fetch(`${stub.url}/api/users/1`)).json()).toEqual({ id: 1 });
      expect((await fetch(`${stub.url}/api/users/2`)).status).toBe(404);
      expect((await fetch(`${stub.url}/api/users/1/activity`, { method: 'POST' })).status).toBe(204);
      expect(stub.requests.map((r) => r.line)).toEqual(['GET /api/users/1', 'GET /api/users/2', 'POST /api/users/1/activity']);
    } finally {
      await stub.close();
    }
  });

  it('when told to fail, then it answers 500 from then on', async () => {
    const stub = await startStubService(resourcesHandler('/api/users', new Map()));
    try {
      stub.answer(failingHandler);
      expect((await fetch(`${stub.url}/api/users/1`)).status).toBe(500);
    } finally {
      await stub.close();
    }
  });
});

describe('aProblem', () => {
  it('when a body is a problem of that status and code, then it matches; otherwise not', () => {
    const body = { type: 'urn:forum:problem:not-found', code: 'not_found', status: 404, title: 'Resource not found', detail: 'x' };
    expect(body).toEqual(aProblem(404, 'not_found'));
    expect(body).not.toEqual(aProblem(400, 'not_found'));
    expect({ ...body, type: 'about:blank' }).not.toEqual(aProblem(404, 'not_found'));
  });
});
