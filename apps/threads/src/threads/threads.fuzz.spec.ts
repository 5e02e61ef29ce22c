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
import { startThreadsTestApp } from '../../test/threads-app';
import { migrations } from '../migrations';
import type { ThreadsDatabase } from './threads.repository';

const AUTHOR = 7;
const OTHER = 8;

/** Generated hostile requests against every threads route: properties in fuzzCheck and below. */
describe.each(testEngines)('threads API under generated requests on %s', (engine) => {
  const database = useTestDatabase<ThreadsDatabase>(engine, migrations);
  const counter = fuzzCounter(`threads on ${engine}`);
  let users: StubService;
  let target: Awaited<ReturnType<typeof fuzzTarget>>;
  let check: ReturnType<typeof fuzzCheck>;
  /** Thread id -> author, for the seeded threads. */
  let authors: Map<number, number>;
  let callers: Awaited<ReturnType<typeof fuzzCallers>>;

  beforeEach(async () => {
    const started = await startThreadsTestApp(database(), [AUTHOR, OTHER]);
    users = started.users;
    target = await fuzzTarget(started.app.callback());
    check = fuzzCheck({ send: target.send, rows: () => database().db.selectFrom('threads').selectAll().orderBy('id').execute(), counter });
    callers = await fuzzCallers([AUTHOR, OTHER]);
    const [author = '', other = ''] = callers.authorizations;
    authors = new Map();
    for (const [who, authorization] of [
      [AUTHOR, author],
      [AUTHOR, author],
      [OTHER, other],
    ] as const) {
      const res = await target.send({
        method: 'POST',
        path: '/api/threads',
        headers: { 'content-type': 'application/json', authorization },
        body: '{"title":"seed"}',
      });
      authors.set((res.body as { id: number }).id, who);
    }
  });
  afterEach(async () => {
    await target.close();
    await users.close();
  });

  const someId = () => hostileId(fc.constantFrom(...authors.keys(), 424242));
  const title = () => fc.string({ unit: 'grapheme', minLength: 1, maxLength: 200 });

  it('POST /api/threads: the caller’s thread, its title byte for byte, or a refusal that stores nothing', async () => {
    await fc.assert(
      fc.asyncProperty(hostileHeaders(callers.authorizations), hostileBody({ title: title() }), async (headers, body) => {
        const res = await check({ method: 'POST', path: '/api/threads', headers, body }, (r) => [(r.body as { id: number }).id]);
        if (res.status !== 201) return;
        expect((res.body as { authorId: number }).authorId).toBe(callers.callerOf(headers));
        expectStoredAsSent(body, (await target.send({ method: 'GET', path: `/api/threads/${(res.body as { id: number }).id}`, headers: {} })).body, [
          'title',
        ]);
      }),
      { numRuns: fuzzRuns },
    );
  });

  it('GET /api/threads and /api/threads/:id: reads change nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        hostileHeaders(callers.authorizations),
        fc.oneof(
          hostileQuery(),
          someId().map((id) => `/${id}`),
        ),
        async (headers, rest) => {
          await check({ method: 'GET', path: `/api/threads${rest}`, headers });
        },
      ),
      { numRuns: fuzzRuns },
    );
  });

  it('PATCH /api/threads/:id: only the author changes only that thread, as sent', async () => {
    await fc.assert(
      fc.asyncProperty(callers.callerAndRow(authors, someId()), hostileBody({ title: title() }), async ([headers, id], body) => {
        const res = await check({ method: 'PATCH', path: `/api/threads/${id}`, headers, body }, () => callers.ownRow(headers, id, authors));
        if (res.status === 200) expectStoredAsSent(body, res.body, ['title']);
      }),
      { numRuns: fuzzRuns },
    );
  });

  it('DELETE /api/threads/:id: only the author deletes only that thread', async () => {
    await fc.assert(
      fc.asyncProperty(callers.callerAndRow(authors, someId()), async ([headers, id]) => {
        await check({ method: 'DELETE', path: `/api/threads/${id}`, headers }, () => callers.ownRow(headers, id, authors));
      }),
      { numRuns: fuzzRuns },
    );
  });

  it('POST /internal/threads/activity: a signed-in caller bumps only the threads it names', async () => {
    const ids = fc.array(fc.constantFrom(...authors.keys(), 999), { minLength: 1, maxLength: 4 });
    await fc.assert(
      fc.asyncProperty(hostileHeaders(callers.authorizations), hostileBody({ ids }), async (headers, body) => {
        await check({ method: 'POST', path: '/internal/threads/activity', headers, body }, () => (JSON.parse(body) as { ids: number[] }).ids);
      }),
      { numRuns: fuzzRuns },
    );
  });

  it('POST /internal/threads/:id/activity: a signed-in caller bumps only that thread', async () => {
    await fc.assert(
      fc.asyncProperty(hostileHeaders(callers.authorizations), someId(), hostileBody({}), async (headers, id, body) => {
        await check({ method: 'POST', path: `/internal/threads/${id}/activity`, headers, body }, () => [Number(id)]);
      }),
      { numRuns: fuzzRuns },
    );
  });
});
