import request from 'supertest';
import {
  aProblem,
  aValidationProblem,
  authAs,
  expiredAuthAs,
  hangingHandler,
  STUB_TIME_LIMIT_MS,
  testEngines,
  useTestDatabase,
  type StubService,
} from '@forum/testing';
import { contractChecked, startThreadsTestApp } from '../../test/threads-app';
import { migrations } from '../migrations';
import type { ThreadsDatabase } from './threads.repository';

const AUTHOR = 7;
const OTHER = 8;

describe.each(testEngines)('threads routes on %s', (engine) => {
  const database = useTestDatabase<ThreadsDatabase>(engine, migrations);
  let users: StubService;
  beforeEach(async () => {
    const started = await startThreadsTestApp(database(), [AUTHOR, OTHER]);
    users = started.users;
    api = contractChecked(started.app);
    [auth, otherAuth] = [await authAs(AUTHOR), await authAs(OTHER)];
  });
  afterEach(() => users.close());

  let api: () => ReturnType<typeof request>;
  let auth: { Authorization: string };
  let otherAuth: { Authorization: string };
  const create = async (title = 'A thread') => {
    const res = await api().post('/api/threads').set(auth).send({ title });
    expect(res.status).toBe(201);
    return res.body;
  };

  describe('POST /api/threads', () => {
    it('when the title holds bytes that are not UTF-8, then 400 naming it and nothing is stored', async () => {
      const bytes = Buffer.concat([Buffer.from('{"title":"bad '), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
      const res = await api()
        .post('/api/threads')
        .set(auth)
        .set('Content-Type', 'application/json')
        .serialize((b: unknown) => b as string)
        .send(bytes);
      expect(res.body).toEqual(aValidationProblem('title'));
      expect((await api().get('/api/threads')).body.items).toEqual([]);
    });

    it('when a signed-in user posts it, then the thread is theirs and its activity starts now', async () => {
      const res = await api().post('/api/threads').set(auth).set('X-Request-Id', 'trace-me').send({ title: 'Brazil game' });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.any(Number),
        title: 'Brazil game',
        authorId: AUTHOR,
        createdAt: expect.any(String),
        updatedAt: res.body.createdAt,
        lastActivityAt: res.body.createdAt,
      });
      expect(res.headers['location']).toBe(`/api/threads/${res.body.id}`);
      expect(users.requests[0]).toMatchObject({ line: `GET /api/users/${AUTHOR}`, headers: { 'x-request-id': 'trace-me' } });
    });

    it('when the caller is anonymous, expired or their account is gone, then 401 and nothing is stored', async () => {
      expect((await api().post('/api/threads').send({ title: 'x' })).body).toEqual(aProblem(401, 'unauthorized'));
      expect(
        (
          await api()
            .post('/api/threads')
            .set(await expiredAuthAs(AUTHOR))
            .send({ title: 'x' })
        ).status,
      ).toBe(401);
      const gone = await api()
        .post('/api/threads')
        .set(await authAs(99))
        .send({ title: 'x' });
      expect(gone.body).toEqual(aProblem(401, 'unauthorized', { detail: 'The account of this access token no longer exists' }));
      expect((await api().get('/api/threads')).body.items).toEqual([]);
    });

    it('when the body names an author, then 400: the author is always the caller', async () => {
      expect((await api().post('/api/threads').set(auth).send({ title: 'x', authorId: OTHER })).body).toEqual(aValidationProblem('authorId'));
    });

    it('when the users service hangs or is down, then 504 or 503 quickly and nothing is stored', async () => {
      users.answer(hangingHandler);
      const started = Date.now();
      expect((await api().post('/api/threads').set(auth).send({ title: 'x' })).body).toEqual(aProblem(504, 'upstream_timeout'));
      expect(Date.now() - started).toBeLessThan(STUB_TIME_LIMIT_MS + 1500);
      await users.close();
      expect((await api().post('/api/threads').set(auth).send({ title: 'x' })).body).toEqual(aProblem(503, 'upstream_unavailable'));
      expect((await api().get('/api/threads')).body.items).toEqual([]);
    });

    it.each([
      [{}, ['title']],
      [{ title: '   ' }, ['title']],
      [{ title: 't'.repeat(201) }, ['title']],
      [{ title: 7 }, ['title']],
      [{ title: 'x', pinned: true }, ['pinned']],
    ])('when the body is %j, then 400 naming %j', async (body, fields) => {
      expect((await api().post('/api/threads').set(auth).send(body)).body).toEqual(aValidationProblem(...fields));
      expect(users.requests).toEqual([]);
    });
  });

  describe('GET /api/threads', () => {
    it('when threads exist, then the newest activity comes first and pages follow by cursor', async () => {
      const [a, b, c] = [await create('a'), await create('b'), await create('c')];
      expect((await api().post(`/internal/threads/${a.id}/activity`)).status).toBe(401);
      expect((await api().post(`/internal/threads/${a.id}/activity`).set(otherAuth)).status).toBe(204);
      // The bump is not on the public prefix that the ALB routes.
      expect((await api().post(`/api/threads/${b.id}/activity`).set(otherAuth)).body).toEqual(aProblem(404, 'route_not_found'));
      const first = await api().get('/api/threads?limit=2');
      expect(first.body.items.map((t: { title: string }) => t.title)).toEqual(['a', 'c']);
      const second = await api().get(`/api/threads?limit=2&cursor=${first.body.nextCursor}`);
      expect(second.body).toEqual({ items: [expect.objectContaining({ id: b.id })], nextCursor: null });
      expect(c.id).toBeGreaterThan(b.id);
    });

    it('when the first page was read (it is cached), then a new thread, a bump, a rename and a delete show on the next read at once', async () => {
      const titles = async () => (await api().get('/api/threads')).body.items.map((t: { title: string }) => t.title);
      const a = await create('a');
      expect(await titles()).toEqual(['a']);
      const b = await create('b');
      expect(await titles()).toEqual(['b', 'a']);
      await api().post(`/internal/threads/${a.id}/activity`).set(auth).expect(204);
      expect(await titles()).toEqual(['a', 'b']);
      await api().patch(`/api/threads/${b.id}`).set(auth).send({ title: 'b2' }).expect(200);
      expect(await titles()).toEqual(['a', 'b2']);
      await api().delete(`/api/threads/${a.id}`).set(auth).expect(204);
      expect(await titles()).toEqual(['b2']);
    });

    it('when several threads share an activity time, then paging neither skips nor repeats any', async () => {
      const at = '2025-01-01T00:00:00.000Z';
      for (let i = 0; i < 5; i++)
        await database()
          .db.insertInto('threads')
          .values({ title: `t${i}`, authorId: 1, createdAt: at, updatedAt: at, lastActivityAt: at })
          .execute();
      const seen: number[] = [];
      let cursor = '';
      do {
        const res = await api().get(`/api/threads?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        seen.push(...res.body.items.map((t: { id: number }) => t.id));
        cursor = res.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual([...seen].sort((x, y) => y - x));
      expect(new Set(seen).size).toBe(5);
    });

    it('when the cursor or limit is invalid, then 400', async () => {
      expect((await api().get('/api/threads?cursor=eyJpZCI6MX0')).body).toEqual(aValidationProblem('query.cursor'));
      expect((await api().get('/api/threads?limit=1000')).body).toEqual(aValidationProblem('query.limit'));
    });
  });

  describe('POST /internal/threads/activity (the posts service bumps threads)', () => {
    const titles = async () => (await api().get('/api/threads')).body.items.map((t: { title: string }) => t.title);

    it('when threads are bumped together, then each that exists moves to the top with one activity time and the missing ids are named', async () => {
      const [a, b] = [await create('a'), await create('b')];
      const c = await create('c');
      await new Promise((resolve) => setTimeout(resolve, 5)); // the bump's time is after c's start
      const res = await api()
        .post('/internal/threads/activity')
        .set(otherAuth)
        .send({ ids: [a.id, 999, a.id, b.id] });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ missing: [999] });
      expect(await titles()).toEqual(['b', 'a', 'c']);
      const [bumpedA, bumpedB] = [(await api().get(`/api/threads/${a.id}`)).body, (await api().get(`/api/threads/${b.id}`)).body];
      expect(bumpedA.lastActivityAt).toBe(bumpedB.lastActivityAt);
      expect(bumpedA.lastActivityAt > c.createdAt).toBe(true);
      expect(bumpedA.updatedAt).toBe(a.updatedAt);
    });

    it('when the list is as long as allowed, then it is taken; longer lists of bad ids are one error, not one per id', async () => {
      const a = await create('a');
      const most = Array.from({ length: 100 }, (_, i) => a.id + i);
      expect((await api().post('/internal/threads/activity').set(auth).send({ ids: most })).body).toEqual({ missing: most.slice(1) });
      const res = await api()
        .post('/internal/threads/activity')
        .set(auth)
        .send({ ids: Array.from({ length: 1000 }, () => 0) });
      expect(res.body).toEqual(aValidationProblem('ids'));
      expect(res.body.errors).toHaveLength(1);
    });

    it.each([
      [{}, ['ids']],
      [{ ids: [] }, ['ids']],
      [{ ids: 'x' }, ['ids']],
      [{ ids: [0] }, ['ids.0']],
      [{ ids: [1.5] }, ['ids.0']],
      [{ ids: [1, null, '2'] }, ['ids.1', 'ids.2']],
      [{ ids: Array.from({ length: 101 }, (_, i) => i + 1) }, ['ids']],
      [{ ids: [1], also: 1 }, ['also']],
    ])('when the body is %j, then 400 naming %j and no thread moves', async (body, fields) => {
      const [a] = [await create('a'), await create('b')];
      expect((await api().post('/internal/threads/activity').set(auth).send(body)).body).toEqual(aValidationProblem(...fields));
      expect(
        (
          await api()
            .post('/internal/threads/activity')
            .send({ ids: [a.id] })
        ).body,
      ).toEqual(aProblem(401, 'unauthorized'));
      expect(await titles()).toEqual(['b', 'a']);
    });
  });

  describe('GET /api/threads/:id', () => {
    it('when the thread exists, then it is returned; unknown or malformed ids are 404', async () => {
      const thread = await create();
      expect((await api().get(`/api/threads/${thread.id}`)).body).toEqual(thread);
      expect((await api().get('/api/threads/12345')).body).toEqual(aProblem(404, 'not_found'));
      expect((await api().get('/api/threads/x1')).status).toBe(404);
    });
  });

  describe('PATCH /api/threads/:id', () => {
    it('when the title changes, then it is saved and activity is unchanged', async () => {
      const thread = await create();
      const res = await api().patch(`/api/threads/${thread.id}`).set(auth).send({ title: 'Renamed' });
      expect(res.body).toMatchObject({ id: thread.id, title: 'Renamed', lastActivityAt: thread.lastActivityAt });
    });

    it('when someone else, nobody or an expired token renames it, then 403, 401, 401 and it stays', async () => {
      const thread = await create();
      const rename = () => api().patch(`/api/threads/${thread.id}`).send({ title: 'Mine now' });
      expect((await rename().set(otherAuth)).body).toEqual(
        aProblem(403, 'forbidden', { detail: 'Only its author may change or delete this thread' }),
      );
      expect((await rename()).status).toBe(401);
      expect((await rename().set(await expiredAuthAs(AUTHOR))).status).toBe(401);
      expect((await api().get(`/api/threads/${thread.id}`)).body).toEqual(thread);
    });

    it('when the author is to be changed or the thread is missing, then 400 or 404', async () => {
      const thread = await create();
      expect((await api().patch(`/api/threads/${thread.id}`).set(auth).send({ authorId: 1 })).body).toEqual(aValidationProblem('authorId', '(body)'));
      expect((await api().patch('/api/threads/999').set(auth).send({ title: 'x' })).status).toBe(404);
    });
  });

  describe('DELETE /api/threads/:id', () => {
    it('when the thread exists, then 204 and it is gone', async () => {
      const thread = await create();
      expect((await api().delete(`/api/threads/${thread.id}`).set(otherAuth)).status).toBe(403);
      expect((await api().delete(`/api/threads/${thread.id}`)).status).toBe(401);
      expect((await api().delete(`/api/threads/${thread.id}`).set(auth)).status).toBe(204);
      expect((await api().get(`/api/threads/${thread.id}`)).status).toBe(404);
      expect((await api().post(`/internal/threads/${thread.id}/activity`).set(auth)).status).toBe(404);
    });
  });

  it('when a method is not supported, then 405 with Allow', async () => {
    const res = await api().put('/api/threads').send({});
    expect(res.status).toBe(405);
    expect(res.headers['allow']).toBe('POST, HEAD, GET');
  });
});
