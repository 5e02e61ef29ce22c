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
} from '@forum/testing';
import { migrations } from '../migrations';
import { testUsersApp } from '../../test/users-api';
import type { UsersDatabase } from './users.repository';

const PASSWORD = 'fuzzing password';
const PROFILE_FIELDS = ['username', 'displayName', 'bio'];

/** Generated hostile requests against every users route: properties in fuzzCheck and below. */
describe.each(testEngines)('users API under generated requests on %s', (engine) => {
  const database = useTestDatabase<UsersDatabase>(engine, migrations);
  const counter = fuzzCounter(`users on ${engine}`);
  let target: Awaited<ReturnType<typeof fuzzTarget>>;
  let check: ReturnType<typeof fuzzCheck>;
  let ids: number[];
  let usernames: string[];
  let callers: Awaited<ReturnType<typeof fuzzCallers>>;

  beforeEach(async () => {
    target = await fuzzTarget((await testUsersApp(database(), { bodyLimit: 65536 })).callback());
    check = fuzzCheck({ send: target.send, rows: () => database().db.selectFrom('users').selectAll().orderBy('id').execute(), counter });
    usernames = ['alice', 'bob', 'carol'];
    ids = [];
    for (const username of usernames) {
      const res = await target.send({
        method: 'POST',
        path: '/api/users',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, displayName: username, password: PASSWORD }),
      });
      ids.push((res.body as { id: number }).id);
    }
    callers = await fuzzCallers(ids.slice(0, 2));
  });
  afterEach(() => target.close());

  const profile = () => ({
    username: fc.oneof(fc.stringMatching(/^[A-Za-z0-9_-]{2,32}$/), fc.constantFrom(...usernames.map((u) => u.toUpperCase()))),
    displayName: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 64 }),
    bio: fc.string({ unit: 'grapheme', maxLength: 500 }),
  });
  const someId = () => hostileId(fc.constantFrom(...ids, 999999));
  /** A user may change only their own row: alice and bob have valid tokens, carol none. */
  const selves = () => new Map(ids.map((u) => [u, u]));
  const ownRow = (headers: Record<string, string>, id: string) => callers.ownRow(headers, id, selves());

  it('POST /api/users: registers or refuses, stores text byte for byte, never returns a password', async () => {
    await fc.assert(
      fc.asyncProperty(
        hostileHeaders(callers.authorizations),
        hostileBody({ ...profile(), password: fc.string({ minLength: 8, maxLength: 256 }) }),
        async (headers, body) => {
          const res = await check({ method: 'POST', path: '/api/users', headers, body }, (r) => [(r.body as { id: number }).id]);
          if (res.status !== 201) return;
          expect(res.text).not.toMatch(/password|scrypt/i);
          const stored = await target.send({ method: 'GET', path: `/api/users/${(res.body as { id: number }).id}`, headers: {} });
          expectStoredAsSent(body, stored.body, PROFILE_FIELDS);
        },
      ),
      { numRuns: fuzzRuns },
    );
  });

  it('POST /api/users/session: a token only for the right password, and nothing stored', async () => {
    await fc.assert(
      fc.asyncProperty(
        hostileHeaders(callers.authorizations),
        hostileBody({ username: fc.constantFrom(...usernames), password: fc.oneof(fc.constant(PASSWORD), fc.string({ maxLength: 20 })) }),
        async (headers, body) => {
          const res = await check({ method: 'POST', path: '/api/users/session', headers, body });
          if (res.status === 200) expect(JSON.parse(body)).toMatchObject({ password: PASSWORD });
        },
      ),
      { numRuns: fuzzRuns },
    );
  });

  it('GET /api/users and /api/users/:id: reads change nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        hostileHeaders(callers.authorizations),
        fc.oneof(
          hostileQuery(),
          someId().map((id) => `/${id}`),
        ),
        async (headers, rest) => {
          await check({ method: 'GET', path: `/api/users${rest}`, headers });
        },
      ),
      { numRuns: fuzzRuns },
    );
  });

  it('PATCH /api/users/:id: only the owner changes only their own row, as sent', async () => {
    await fc.assert(
      fc.asyncProperty(
        callers.callerAndRow(selves(), someId()),
        hostileBody({ ...profile(), password: fc.string({ minLength: 8, maxLength: 30 }), currentPassword: fc.constantFrom(PASSWORD, 'wrong') }),
        async ([headers, id], body) => {
          const res = await check({ method: 'PATCH', path: `/api/users/${id}`, headers, body }, () => ownRow(headers, id));
          if (res.status === 200) expectStoredAsSent(body, res.body, PROFILE_FIELDS);
        },
      ),
      { numRuns: fuzzRuns },
    );
  });

  it('DELETE /api/users/:id: only the owner deletes only their own row', async () => {
    await fc.assert(
      fc.asyncProperty(callers.callerAndRow(selves(), someId()), async ([headers, id]) => {
        await check({ method: 'DELETE', path: `/api/users/${id}`, headers }, () => ownRow(headers, id));
      }),
      { numRuns: fuzzRuns },
    );
  });
});
