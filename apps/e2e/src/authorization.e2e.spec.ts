import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateTokenKeys, tokenIssuer } from '@forum/auth';
import { startStack, type StartedStack } from './stack';

/**
 * The authorization matrix: every mutating route of every service, called by the owner of what
 * it changes, by another signed-in user, anonymously, with the owner's expired token and with a
 * token for the owner signed by a key that is not the service's. Each cell is one test through
 * the local ALB; a refused call must also leave the resource as it was.
 */
type Actor = 'owner' | 'other user' | 'anonymous' | 'expired token' | 'forged token';
type Fixture = { owner: Account; other: Account; headers: Record<Actor, Record<string, string>> };
type Account = { id: number; username: string; password: string; auth: Record<string, string> };
interface Row {
  route: string;
  /** Makes what the call acts on (as the owner); returns the call and, if it changes a resource, that resource's URL. */
  prepare: (f: Fixture) => Promise<{ method: string; path: string; body?: unknown; resource?: string }>;
  expected: Record<Actor, number>;
}

const PASSWORD = 'matrix password';
const actors: Actor[] = ['owner', 'other user', 'anonymous', 'expired token', 'forged token'];
const onlyOwner = (ok: number) => ({ owner: ok, 'other user': 403, anonymous: 401, 'expired token': 401, 'forged token': 401 });
const anySignedIn = (ok: number) => ({ owner: ok, 'other user': ok, anonymous: 401, 'expired token': 401, 'forged token': 401 });
const anyone = (ok: number) => ({ owner: ok, 'other user': ok, anonymous: ok, 'expired token': ok, 'forged token': ok });

let stack: StartedStack;
let sequence = 0;

const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
  const res = await fetch(`${stack.baseUrl}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, contentType: res.headers.get('content-type'), body: text ? JSON.parse(text) : undefined };
};

async function register(): Promise<Account> {
  const username = `matrix${process.pid}x${++sequence}`;
  const user = await call('POST', '/api/users', { username, displayName: 'Matrix', password: PASSWORD });
  const session = await call('POST', '/api/users/session', { username, password: PASSWORD });
  return { id: user.body.id, username, password: PASSWORD, auth: { authorization: `Bearer ${session.body.accessToken}` } };
}

const newThread = async (f: Fixture) => (await call('POST', '/api/threads', { title: 'Matrix thread' }, f.owner.auth)).body.id as number;
const newPost = async (f: Fixture) =>
  (await call('POST', '/api/posts', { threadId: await newThread(f), text: 'Matrix post' }, f.owner.auth)).body.id as number;

const rows: Row[] = [
  {
    route: 'POST /api/users',
    expected: anyone(201),
    prepare: async () => ({
      method: 'POST',
      path: '/api/users',
      body: { username: `reg${process.pid}x${++sequence}`, displayName: 'R', password: PASSWORD },
    }),
  },
  {
    route: 'POST /api/users/session',
    expected: anyone(200),
    prepare: async (f) => ({ method: 'POST', path: '/api/users/session', body: { username: f.owner.username, password: PASSWORD } }),
  },
  {
    route: 'PATCH /api/users/:id',
    expected: onlyOwner(200),
    prepare: async (f) => ({
      method: 'PATCH',
      path: `/api/users/${f.owner.id}`,
      body: { bio: `bio ${++sequence}` },
      resource: `/api/users/${f.owner.id}`,
    }),
  },
  {
    route: 'DELETE /api/users/:id',
    expected: onlyOwner(204),
    prepare: async (f) => ({ method: 'DELETE', path: `/api/users/${f.owner.id}`, resource: `/api/users/${f.owner.id}` }),
  },
  { route: 'POST /api/threads', expected: anySignedIn(201), prepare: async () => ({ method: 'POST', path: '/api/threads', body: { title: 'New' } }) },
  {
    route: 'PATCH /api/threads/:id',
    expected: onlyOwner(200),
    prepare: async (f) => {
      const id = await newThread(f);
      return { method: 'PATCH', path: `/api/threads/${id}`, body: { title: 'Renamed' }, resource: `/api/threads/${id}` };
    },
  },
  {
    route: 'DELETE /api/threads/:id',
    expected: onlyOwner(204),
    prepare: async (f) => {
      const id = await newThread(f);
      return { method: 'DELETE', path: `/api/threads/${id}`, resource: `/api/threads/${id}` };
    },
  },
  {
    route: 'POST /api/posts',
    expected: anySignedIn(201),
    prepare: async (f) => ({ method: 'POST', path: '/api/posts', body: { threadId: await newThread(f), text: 'Reply' } }),
  },
  {
    route: 'PATCH /api/posts/:id',
    expected: onlyOwner(200),
    prepare: async (f) => {
      const id = await newPost(f);
      return { method: 'PATCH', path: `/api/posts/${id}`, body: { text: 'Edited' }, resource: `/api/posts/${id}` };
    },
  },
  {
    route: 'DELETE /api/posts/:id',
    expected: onlyOwner(204),
    prepare: async (f) => {
      const id = await newPost(f);
      return { method: 'DELETE', path: `/api/posts/${id}`, resource: `/api/posts/${id}` };
    },
  },
];

describe('authorization matrix through the local ALB', () => {
  let fixture: (fresh: boolean) => Promise<Fixture>;
  beforeAll(async () => {
    stack = await startStack();
    const stackKey = readFileSync(join(stack.dataDir, 'development-token-key.pem'), 'utf8');
    const hourAgo = Date.now() - 3600_000;
    const expired = await tokenIssuer({ privateKeyPem: stackKey, ttlSeconds: 60, now: () => hourAgo });
    const forged = await tokenIssuer({ privateKeyPem: generateTokenKeys().privateKeyPem, ttlSeconds: 600 });
    const other = await register();
    let shared: Account | undefined;
    fixture = async (fresh) => {
      // A row that deletes the owner gets an owner of its own each time.
      const owner = fresh ? await register() : (shared ??= await register());
      const bearer = async (issuer: typeof expired) => ({ authorization: `Bearer ${(await issuer.issue(owner.id)).accessToken}` });
      return {
        owner,
        other,
        headers: {
          owner: owner.auth,
          'other user': other.auth,
          anonymous: {},
          'expired token': await bearer(expired),
          'forged token': await bearer(forged),
        },
      };
    };
  });
  afterAll(() => stack.stop());

  describe.each(rows)('$route', ({ route, prepare, expected }) => {
    it.each(actors)(`when called by the %s, then the expected status`, async (actor) => {
      const f = await fixture(route === 'DELETE /api/users/:id');
      const { method, path, body, resource } = await prepare(f);
      const before = resource ? await call('GET', resource) : undefined;
      const res = await call(method, path, body, f.headers[actor]);
      expect({ actor, route, status: res.status }).toEqual({ actor, route, status: expected[actor] });
      if (res.status >= 400) {
        expect(res.contentType).toBe('application/problem+json');
        expect(res.body).toMatchObject({ status: res.status, code: res.status === 401 ? 'unauthorized' : 'forbidden' });
        if (resource) expect(await call('GET', resource)).toEqual(before);
      }
    });
  });
});
