import request from 'supertest';
import {
  aProblem,
  aValidationProblem,
  authAs,
  eventually,
  expiredAuthAs,
  failingHandler,
  hangingHandler,
  resourcesHandler,
  STUB_TIME_LIMIT_MS,
  testEngines,
  useTestDatabase,
  type StubService,
} from '@forum/testing';
import { contractChecked, startPostsTestApp } from '../../test/posts-app';
import { migrations } from '../migrations';
import type { PostsDatabase } from './posts.repository';

const THREAD = 3;
const OTHER_THREAD = 4;
const AUTHOR = 1;
const OTHER_AUTHOR = 2;

describe.each(testEngines)('posts routes on %s', (engine) => {
  const database = useTestDatabase<PostsDatabase>(engine, migrations);
  let threads: StubService;
  let users: StubService;
  let threadsAnswer: Awaited<ReturnType<typeof startPostsTestApp>>['threadsAnswer'];
  beforeEach(async () => {
    const started = await startPostsTestApp(database(), { threadIds: [THREAD, OTHER_THREAD], userIds: [AUTHOR, OTHER_AUTHOR] });
    ({ threads, users, threadsAnswer } = started);
    api = contractChecked(started.app);
    [auth, otherAuth] = [await authAs(AUTHOR), await authAs(OTHER_AUTHOR)];
  });
  afterEach(async () => {
    await threads.close();
    await users.close();
  });

  let api: () => ReturnType<typeof request>;
  let auth: { Authorization: string };
  let otherAuth: { Authorization: string };
  const create = async (overrides: Record<string, unknown> = {}, as = auth) => {
    const res = await api()
      .post('/api/posts')
      .set(as)
      .send({ threadId: THREAD, text: 'Hello', ...overrides });
    expect(res.status).toBe(201);
    return res.body;
  };
  const storedPosts = async () => (await api().get(`/api/posts/by-user/${AUTHOR}`)).body.items;

  describe('POST /api/posts', () => {
    it('when the thread exists, then the post is the caller’s, the thread is bumped, and request id and token travel', async () => {
      const res = await api().post('/api/posts').set(auth).set('X-Request-Id', 'req-9').send({ threadId: THREAD, text: 'Hi!' });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.any(Number),
        threadId: THREAD,
        authorId: AUTHOR,
        text: 'Hi!',
        createdAt: expect.any(String),
        updatedAt: res.body.createdAt,
      });
      expect(res.headers['location']).toBe(`/api/posts/${res.body.id}`);
      // The bump leaves after the answer.
      await eventually(() => expect(threads.requests.map((r) => r.line)).toEqual([`GET /api/threads/${THREAD}`, 'POST /internal/threads/activity']));
      expect(JSON.parse(threads.requests[1]?.body ?? '')).toEqual({ ids: [THREAD] });
      expect(threads.requests.every((r) => r.headers['x-request-id'] === 'req-9')).toBe(true);
      expect(threads.requests[1]?.headers['authorization']).toBe(auth.Authorization);
      expect(users.requests.map((r) => r.line)).toEqual([`GET /api/users/${AUTHOR}`]);
    });

    it('when posts follow in one thread by one account, then the thread and the account are asked once in a few seconds, and every post bumps the thread', async () => {
      await create();
      await create();
      await eventually(() =>
        expect(threads.requests.map((r) => r.line)).toEqual([
          `GET /api/threads/${THREAD}`,
          'POST /internal/threads/activity',
          'POST /internal/threads/activity',
        ]),
      );
      expect(users.requests.map((r) => r.line)).toEqual([`GET /api/users/${AUTHOR}`]);
      expect(await storedPosts()).toHaveLength(2);
    });

    it('when the bump finds the thread gone, then the next post asks again and is refused', async () => {
      const deleted = resourcesHandler(['/api/threads', '/internal/threads'], new Map());
      let bumpAnswered = false;
      threads.answer((req, res, body) => {
        if (threads.requests.length === 1) return threadsAnswer(req, res, body);
        res.on('finish', () => (bumpAnswered = true));
        deleted(req, res, body);
      });
      await create();
      await eventually(() => expect(bumpAnswered).toBe(true));
      await new Promise((resolve) => setTimeout(resolve, 20)); // for posts to read the answer
      const refused = await api().post('/api/posts').set(auth).send({ threadId: THREAD, text: 'x' });
      expect(refused.body).toEqual(aProblem(422, 'unknown_reference', { errors: [expect.objectContaining({ field: 'threadId' })] }));
      expect(await storedPosts()).toHaveLength(1);
    });

    it('when the text is unusual unicode, then it comes back byte for byte', async () => {
      const text = "  Ünïcödé 👩‍👩‍👧 مرحبا e\u0301 <script>alert(1)</script> '; drop table posts; --  ";
      const post = await create({ text });
      expect((await api().get(`/api/posts/${post.id}`)).body.text).toBe(text);
    });

    it('when the thread does not exist or the caller’s account is gone, then 422 naming threadId or 401, and nothing is stored', async () => {
      expect((await api().post('/api/posts').set(auth).send({ threadId: 999, text: 'x' })).body).toEqual(
        aProblem(422, 'unknown_reference', { errors: [expect.objectContaining({ field: 'threadId' })] }),
      );
      expect(
        (
          await api()
            .post('/api/posts')
            .set(await authAs(999))
            .send({ threadId: THREAD, text: 'x' })
        ).body,
      ).toEqual(aProblem(401, 'unauthorized'));
      expect(await storedPosts()).toEqual([]);
    });

    it('when the caller is anonymous or expired, or the body names an author, then 401, 401, 400 and no other service is asked', async () => {
      expect((await api().post('/api/posts').send({ threadId: THREAD, text: 'x' })).body).toEqual(aProblem(401, 'unauthorized'));
      expect(
        (
          await api()
            .post('/api/posts')
            .set(await expiredAuthAs(AUTHOR))
            .send({ threadId: THREAD, text: 'x' })
        ).status,
      ).toBe(401);
      expect((await api().post('/api/posts').set(auth).send({ threadId: THREAD, authorId: OTHER_AUTHOR, text: 'x' })).body).toEqual(
        aValidationProblem('authorId'),
      );
      expect([...threads.requests, ...users.requests]).toEqual([]);
    });

    it('when the threads service hangs, then 504 within the time limit and nothing is stored', async () => {
      threads.answer(hangingHandler);
      const started = Date.now();
      const res = await api().post('/api/posts').set(auth).send({ threadId: THREAD, text: 'x' });
      expect(res.body).toEqual(aProblem(504, 'upstream_timeout', { detail: `The threads service did not answer within ${STUB_TIME_LIMIT_MS} ms` }));
      expect(Date.now() - started).toBeLessThan(STUB_TIME_LIMIT_MS + 1500);
      expect(await storedPosts()).toEqual([]);
    });

    it('when the users service is down or failing, then 503 and nothing is stored', async () => {
      users.answer(failingHandler);
      const post = () => api().post('/api/posts').set(auth).send({ threadId: THREAD, text: 'x' });
      expect((await post()).body).toEqual(aProblem(503, 'upstream_unavailable'));
      await users.close();
      expect((await post()).body).toEqual(aProblem(503, 'upstream_unavailable'));
      expect(await storedPosts()).toEqual([]);
    });

    it('when only the thread bump fails or hangs, then the post is still created, and answered without waiting for it', async () => {
      threads.answer((req, res, body) => (req.method === 'POST' ? failingHandler(req, res, body) : threadsAnswer(req, res, body)));
      const post = await create();
      expect((await api().get(`/api/posts/${post.id}`)).status).toBe(200);
      threads.answer((req, res, body) => (req.method === 'POST' ? hangingHandler(req, res, body) : threadsAnswer(req, res, body)));
      const started = Date.now();
      await create();
      expect(Date.now() - started).toBeLessThan(STUB_TIME_LIMIT_MS / 2); // waiting for the bump would take the whole time limit
    });

    it.each([
      [{ threadId: THREAD }, ['text']],
      [{ threadId: THREAD, text: '' }, ['text']],
      [{ threadId: THREAD, text: 'x'.repeat(10001) }, ['text']],
      [{ threadId: 'three', text: 'x' }, ['threadId']],
      [{ threadId: null, text: 'x' }, ['threadId']],
      [{ threadId: THREAD, text: 'x', thread: 1 }, ['thread']],
      [{ threadId: THREAD, text: ['x'] }, ['text']],
    ])('when the body is %j, then 400 naming %j and no other service is asked', async (body, fields) => {
      expect((await api().post('/api/posts').set(auth).send(body)).body).toEqual(aValidationProblem(...fields));
      expect([...threads.requests, ...users.requests]).toEqual([]);
    });
  });

  describe('GET /api/posts/in-thread/:threadId', () => {
    it('when a thread has posts, then they come oldest first, a page at a time, and no other thread’s', async () => {
      const ids = [];
      for (let i = 0; i < 3; i++) ids.push((await create({ text: `p${i}` })).id);
      await create({ threadId: OTHER_THREAD });
      const first = await api().get(`/api/posts/in-thread/${THREAD}?limit=2`);
      expect(first.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(first.body.items.map((p: { id: number }) => p.id)).toEqual(ids.slice(0, 2));
      const rest = await api().get(`/api/posts/in-thread/${THREAD}?limit=2&cursor=${first.body.nextCursor}`);
      expect(rest.body).toEqual({ items: [expect.objectContaining({ id: ids[2] })], nextCursor: null });
    });

    it('when the thread has no posts, then an empty page; a malformed id is 404', async () => {
      expect((await api().get('/api/posts/in-thread/77')).body).toEqual({ items: [], nextCursor: null });
      expect((await api().get('/api/posts/in-thread/abc')).body).toEqual(aProblem(404, 'not_found'));
    });
  });

  describe('GET /api/posts/by-user/:userId', () => {
    it('when a user has posts, then they come newest first across threads', async () => {
      const a = await create();
      const b = await create({ threadId: OTHER_THREAD });
      await create({}, otherAuth);
      const res = await api().get(`/api/posts/by-user/${AUTHOR}?limit=1`);
      expect(res.body.items.map((p: { id: number }) => p.id)).toEqual([b.id]);
      const next = await api().get(`/api/posts/by-user/${AUTHOR}?limit=1&cursor=${res.body.nextCursor}`);
      expect(next.body.items.map((p: { id: number }) => p.id)).toEqual([a.id]);
    });

    it('when the query is bad, then 400', async () => {
      expect((await api().get(`/api/posts/by-user/${AUTHOR}?limit=abc`)).body).toEqual(aValidationProblem('query.limit'));
    });
  });

  describe('GET, PATCH and DELETE /api/posts/:id', () => {
    it('when the post exists, then it can be read, edited and deleted', async () => {
      const post = await create();
      expect((await api().get(`/api/posts/${post.id}`)).body).toEqual(post);
      const edited = await api().patch(`/api/posts/${post.id}`).set(auth).send({ text: 'Edited' });
      expect(edited.body).toMatchObject({ id: post.id, text: 'Edited', threadId: THREAD, createdAt: post.createdAt });
      expect((await api().delete(`/api/posts/${post.id}`).set(auth)).status).toBe(204);
      expect((await api().get(`/api/posts/${post.id}`)).body).toEqual(aProblem(404, 'not_found'));
    });

    it('when the post is missing or the patch moves it, then 404 or 400', async () => {
      const post = await create();
      expect((await api().patch('/api/posts/999').set(auth).send({ text: 'x' })).status).toBe(404);
      expect((await api().delete('/api/posts/999').set(auth)).status).toBe(404);
      expect((await api().patch(`/api/posts/${post.id}`).set(auth).send({ threadId: OTHER_THREAD })).body).toEqual(
        aValidationProblem('threadId', '(body)'),
      );
      expect((await api().patch(`/api/posts/${post.id}`).set(auth).type('text').send('x')).status).toBe(415);
    });

    it('when someone else or nobody edits or deletes it, then 403 or 401 and it stays as it was', async () => {
      const post = await create();
      expect((await api().patch(`/api/posts/${post.id}`).set(otherAuth).send({ text: 'vandalised' })).body).toEqual(aProblem(403, 'forbidden'));
      expect((await api().delete(`/api/posts/${post.id}`).set(otherAuth)).status).toBe(403);
      expect((await api().patch(`/api/posts/${post.id}`).send({ text: 'vandalised' })).status).toBe(401);
      expect((await api().delete(`/api/posts/${post.id}`)).status).toBe(401);
      expect((await api().get(`/api/posts/${post.id}`)).body).toEqual(post);
    });
  });

  it('when a method is not supported, then 405 with Allow', async () => {
    const res = await api().put('/api/posts/in-thread/1');
    expect(res.status).toBe(405);
    expect(res.headers['allow']).toBe('HEAD, GET');
  });
});
