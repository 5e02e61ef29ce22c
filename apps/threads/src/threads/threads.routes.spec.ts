import request from 'supertest';
import { createServiceClient, usersApi } from '@forum/service-client';
import {
  aProblem,
  aValidationProblem,
  hangingHandler,
  resourcesHandler,
  startStubService,
  testEngines,
  testLogger,
  useTestDatabase,
  type StubService,
} from '@forum/testing';
import { createApp } from '../app';
import { migrations } from '../migrations';
import type { ThreadsDatabase } from './threads.repository';

const AUTHOR = 7;

describe.each(testEngines)('threads routes on %s', (engine) => {
  const database = useTestDatabase<ThreadsDatabase>(engine, migrations);
  let users: StubService;
  beforeEach(async () => {
    users = await startStubService(resourcesHandler('/api/users', new Map([[AUTHOR, { id: AUTHOR, username: 'jake' }]])));
  });
  afterEach(() => users.close());

  const api = () =>
    request(
      createApp({
        database: database(),
        users: usersApi(createServiceClient({ service: 'users', baseUrl: users.url, timeoutMs: 300 })),
        logger: testLogger(),
        bodyLimit: 4096,
        corsOrigins: ['*'],
      }).callback(),
    );
  const create = async (title = 'A thread') => {
    const res = await api().post('/api/threads').send({ title, authorId: AUTHOR });
    expect(res.status).toBe(201);
    return res.body;
  };

  describe('POST /api/threads', () => {
    it('when the author exists, then the thread is created and its activity starts now', async () => {
      const res = await api().post('/api/threads').set('X-Request-Id', 'trace-me').send({ title: 'Brazil game', authorId: AUTHOR });
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

    it('when the author does not exist, then 422 naming authorId and nothing is stored', async () => {
      const res = await api().post('/api/threads').send({ title: 'x', authorId: 99 });
      expect(res.body).toEqual(aProblem(422, 'unknown_reference', { errors: [expect.objectContaining({ field: 'authorId' })] }));
      expect((await api().get('/api/threads')).body.items).toEqual([]);
    });

    it('when the users service hangs or is down, then 504 or 503 quickly and nothing is stored', async () => {
      users.answer(hangingHandler);
      const started = Date.now();
      expect((await api().post('/api/threads').send({ title: 'x', authorId: AUTHOR })).body).toEqual(aProblem(504, 'upstream_timeout'));
      expect(Date.now() - started).toBeLessThan(2000);
      await users.close();
      expect((await api().post('/api/threads').send({ title: 'x', authorId: AUTHOR })).body).toEqual(aProblem(503, 'upstream_unavailable'));
      expect((await api().get('/api/threads')).body.items).toEqual([]);
    });

    it.each([
      [{ authorId: AUTHOR }, ['title']],
      [{ title: '   ', authorId: AUTHOR }, ['title']],
      [{ title: 't'.repeat(201), authorId: AUTHOR }, ['title']],
      [{ title: 'x' }, ['authorId']],
      [{ title: 'x', authorId: '7' }, ['authorId']],
      [{ title: 'x', authorId: 7, pinned: true }, ['pinned']],
    ])('when the body is %j, then 400 naming %j', async (body, fields) => {
      expect((await api().post('/api/threads').send(body)).body).toEqual(aValidationProblem(...fields));
      expect(users.requests).toEqual([]);
    });
  });

  describe('GET /api/threads', () => {
    it('when threads exist, then the newest activity comes first and pages follow by cursor', async () => {
      const [a, b, c] = [await create('a'), await create('b'), await create('c')];
      expect((await api().post(`/api/threads/${a.id}/activity`)).status).toBe(204);
      const first = await api().get('/api/threads?limit=2');
      expect(first.body.items.map((t: { title: string }) => t.title)).toEqual(['a', 'c']);
      const second = await api().get(`/api/threads?limit=2&cursor=${first.body.nextCursor}`);
      expect(second.body).toEqual({ items: [expect.objectContaining({ id: b.id })], nextCursor: null });
      expect(c.id).toBeGreaterThan(b.id);
    });

    it('when several threads share an activity time, then paging neither skips nor repeats any', async () => {
      const at = '2025-01-01T00:00:00.000Z';
      for (let i = 0; i < 5; i++) await database().db.insertInto('threads').values({ title: `t${i}`, authorId: 1, createdAt: at, updatedAt: at, lastActivityAt: at }).execute();
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
      const res = await api().patch(`/api/threads/${thread.id}`).send({ title: 'Renamed' });
      expect(res.body).toMatchObject({ id: thread.id, title: 'Renamed', lastActivityAt: thread.lastActivityAt });
    });

    it('when the author is to be changed or the thread is missing, then 400 or 404', async () => {
      const thread = await create();
      expect((await api().patch(`/api/threads/${thread.id}`).send({ authorId: 1 })).body).toEqual(aValidationProblem('authorId'));
      expect((await api().patch('/api/threads/999').send({ title: 'x' })).status).toBe(404);
    });
  });

  describe('DELETE /api/threads/:id', () => {
    it('when the thread exists, then 204 and it is gone', async () => {
      const thread = await create();
      expect((await api().delete(`/api/threads/${thread.id}`)).status).toBe(204);
      expect((await api().get(`/api/threads/${thread.id}`)).status).toBe(404);
      expect((await api().post(`/api/threads/${thread.id}/activity`)).status).toBe(404);
    });
  });

  it('when a method is not supported, then 405 with Allow', async () => {
    const res = await api().put('/api/threads').send({});
    expect(res.status).toBe(405);
    expect(res.headers['allow']).toBe('POST, HEAD, GET');
  });
});
