import {
  expectStoredAsSent,
  fc,
  fuzzCallers,
  fuzzCheck,
  fuzzCounter,
  fuzzRuns,
  fuzzTarget,
  hostileBody,
  hostileHeaders,
  hostileId,
  hostileQuery,
  testEngines,
  useTestDatabase,
  type StubService,
} from '@forum/testing';
import { startPostsTestApp } from '../../test/posts-app';
import { migrations } from '../migrations';
import type { PostsDatabase } from './posts.repository';

const THREADS = [3, 4];
const AUTHOR = 1;
const OTHER = 2;

/** Generated hostile requests against every posts route: properties in fuzzCheck and below. */
describe.each(testEngines)('posts API under generated requests on %s', (engine) => {
  const database = useTestDatabase<PostsDatabase>(engine, migrations);
  const counter = fuzzCounter(`posts on ${engine}`);
  let stubs: StubService[];
  let target: Awaited<ReturnType<typeof fuzzTarget>>;
  let check: ReturnType<typeof fuzzCheck>;
  /** Post id -> author, for the seeded posts. */
  let authors: Map<number, number>;
  let callers: Awaited<ReturnType<typeof fuzzCallers>>;

  beforeEach(async () => {
    const started = await startPostsTestApp(database(), { threadIds: THREADS, userIds: [AUTHOR, OTHER] });
    stubs = [started.threads, started.users];
    target = await fuzzTarget(started.app.callback());
    check = fuzzCheck({ send: target.send, rows: () => database().db.selectFrom('posts').selectAll().orderBy('id').execute(), counter });
    callers = await fuzzCallers([AUTHOR, OTHER]);
    const [author = '', other = ''] = callers.authorizations;
    authors = new Map();
    for (const [who, authorization] of [
      [AUTHOR, author],
      [AUTHOR, author],
      [OTHER, other],
    ] as const) {
      const body = JSON.stringify({ threadId: THREADS[0], text: 'seed' });
      const res = await target.send({ method: 'POST', path: '/api/posts', headers: { 'content-type': 'application/json', authorization }, body });
      authors.set((res.body as { id: number }).id, who);
    }
  });
  afterEach(async () => {
    await target.close();
    await Promise.all(stubs.map((stub) => stub.close()));
  });

  const someId = () => hostileId(fc.constantFrom(...authors.keys(), 424242));
  const text = () => fc.string({ unit: 'grapheme', minLength: 1, maxLength: 400 });

  it('POST /api/posts: the caller’s post in an existing thread, its text byte for byte, or a refusal that stores nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        hostileHeaders(callers.authorizations),
        hostileBody({ threadId: fc.constantFrom(...THREADS, 999), text: text() }),
        async (headers, body) => {
          const res = await check({ method: 'POST', path: '/api/posts', headers, body }, (r) => [(r.body as { id: number }).id]);
          if (res.status !== 201) return;
          expect((res.body as { authorId: number }).authorId).toBe(callers.callerOf(headers));
          expectStoredAsSent(body, (await target.send({ method: 'GET', path: `/api/posts/${(res.body as { id: number }).id}`, headers: {} })).body, [
            'text',
            'threadId',
          ]);
        },
      ),
      { numRuns: fuzzRuns },
    );
  });

  it('GET /api/posts/:id, /in-thread/:id and /by-user/:id: reads change nothing', async () => {
    const path = fc.oneof(
      someId().map((id) => `/api/posts/${id}`),
      fc
        .tuple(fc.constantFrom('in-thread', 'by-user'), hostileId(fc.constantFrom(...THREADS, AUTHOR, OTHER)), hostileQuery())
        .map(([list, id, query]) => `/api/posts/${list}/${id}${query}`),
    );
    await fc.assert(
      fc.asyncProperty(hostileHeaders(callers.authorizations), path, async (headers, p) => {
        await check({ method: 'GET', path: p, headers });
      }),
      { numRuns: fuzzRuns },
    );
  });

  it('PATCH /api/posts/:id: only the author changes only that post, as sent', async () => {
    await fc.assert(
      fc.asyncProperty(callers.callerAndRow(authors, someId()), hostileBody({ text: text() }), async ([headers, id], body) => {
        const res = await check({ method: 'PATCH', path: `/api/posts/${id}`, headers, body }, () => callers.ownRow(headers, id, authors));
        if (res.status === 200) expectStoredAsSent(body, res.body, ['text']);
      }),
      { numRuns: fuzzRuns },
    );
  });

  it('DELETE /api/posts/:id: only the author deletes only that post', async () => {
    await fc.assert(
      fc.asyncProperty(callers.callerAndRow(authors, someId()), async ([headers, id]) => {
        await check({ method: 'DELETE', path: `/api/posts/${id}`, headers }, () => callers.ownRow(headers, id, authors));
      }),
      { numRuns: fuzzRuns },
    );
  });
});
