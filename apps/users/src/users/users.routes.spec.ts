import { testEngines, useTestDatabase, aProblem, aValidationProblem, authAs, expiredAuthAs } from '@forum/testing';
import { migrations } from '../migrations';
import { testUsersApi } from '../../test/users-api';
import type { UsersDatabase } from './users.repository';

let sequence = 0;
const aUser = (overrides: Record<string, unknown> = {}) => ({
  username: `user${++sequence}`,
  displayName: 'Some One',
  bio: 'Likes forums',
  password: 'correct horse battery',
  ...overrides,
});

describe.each(testEngines)('users routes on %s', (engine) => {
  const database = useTestDatabase<UsersDatabase>(engine, migrations);
  let api: Awaited<ReturnType<typeof testUsersApi>>;
  beforeEach(async () => {
    api = await testUsersApi(database());
  });
  const create = async (overrides: Record<string, unknown> = {}) => {
    const res = await api().post('/api/users').send(aUser(overrides));
    expect(res.status).toBe(201);
    return res.body;
  };

  describe('POST /api/users', () => {
    it('when the body is valid, then the user is created with timestamps and a Location', async () => {
      const res = await api().post('/api/users').send({ username: 'marceline', displayName: 'Marceline Singer', password: 'p4ssword!' });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.any(Number),
        username: 'marceline',
        displayName: 'Marceline Singer',
        bio: '',
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        updatedAt: res.body.createdAt,
      });
      expect(res.headers['location']).toBe(`/api/users/${res.body.id}`);
      expect(JSON.stringify(res.body)).not.toContain('p4ssword');
    });

    it('when one client registers too often, then 429 with Retry-After, while another client still registers', async () => {
      const limited = await testUsersApi(database(), { accountLimits: { registrationsPerClientPerMinute: 3, passwordChangesPerClientPerMinute: 3 } });
      const register = (client: string) => limited().post('/api/users').set('X-Forwarded-For', client).send(aUser());
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await register('203.0.113.5')).status);
      expect(statuses).toEqual([201, 201, 201, 429]);
      const refused = await register('203.0.113.5');
      expect(refused.body).toEqual(aProblem(429, 'too_many_requests'));
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect((await register('203.0.113.6')).status).toBe(201);
    });

    it('when users are read back, then no password or hash is ever in them', async () => {
      const user = await create();
      for (const res of [await api().get(`/api/users/${user.id}`), await api().get('/api/users')]) {
        expect(JSON.stringify(res.body)).not.toMatch(/password|scrypt/i);
      }
    });

    it('when the username is taken in any letter case, then 409 naming username', async () => {
      await create({ username: 'Finn' });
      const res = await api()
        .post('/api/users')
        .send(aUser({ username: 'fINN' }));
      expect(res.status).toBe(409);
      expect(res.body).toEqual(aProblem(409, 'conflict', { errors: [expect.objectContaining({ field: 'username' })] }));
    });

    it.each([
      [{ displayName: 'x' }, ['username']],
      [{ username: 'a', displayName: 'x' }, ['username']],
      [{ username: 'has space', displayName: 'x' }, ['username']],
      [{ username: 'ok_name', displayName: '' }, ['displayName']],
      [{ username: 'ok_name', displayName: 'x'.repeat(65) }, ['displayName']],
      [{ username: 'ok_name', displayName: 'x', bio: 'b'.repeat(501) }, ['bio']],
      [{ username: 'ok_name', displayName: 42 }, ['displayName']],
      [{ username: 'ok_name', displayName: 'x', isAdmin: true }, ['isAdmin']],
      [{ username: 'ok_name', displayName: 'nul\u0000byte' }, ['displayName']],
      [{ username: 'ok_name', displayName: 'x', password: 'short' }, ['password']],
      [{ username: 'ok_name', displayName: 'x', password: 'p'.repeat(257) }, ['password']],
    ])('when the body is %j, then 400 naming %j and nothing is stored', async (body, fields) => {
      const res = await api()
        .post('/api/users')
        .send({ password: 'long enough', ...body });
      expect(res.body).toEqual(aValidationProblem(...fields));
      expect((await api().get('/api/users')).body.items).toEqual([]);
    });

    it('when the body is not JSON, malformed or too large, then 415, 400 and 413', async () => {
      expect((await api().post('/api/users').type('form').send('username=x')).body).toEqual(aProblem(415, 'unsupported_media_type'));
      expect((await api().post('/api/users').type('json').send('{"username":')).body).toEqual(aProblem(400, 'malformed_json'));
      expect(
        (
          await api()
            .post('/api/users')
            .send(aUser({ bio: 'é'.repeat(1500) }))
        ).body,
      ).toEqual(aProblem(413, 'payload_too_large'));
    });
  });

  describe('GET /api/users', () => {
    it('when there are more users than a page, then pages follow each other by cursor without gaps', async () => {
      const created = [];
      for (let i = 0; i < 5; i++) created.push(await create());
      const first = await api().get('/api/users?limit=2');
      expect(first.body.items.map((u: { id: number }) => u.id)).toEqual([created[0].id, created[1].id]);
      const second = await api().get(`/api/users?limit=2&cursor=${first.body.nextCursor}`);
      const third = await api().get(`/api/users?limit=2&cursor=${second.body.nextCursor}`);
      expect([...second.body.items, ...third.body.items].map((u: { id: number }) => u.id)).toEqual(created.slice(2).map((u) => u.id));
      expect(third.body.nextCursor).toBeNull();
    });

    it('when the query is invalid, then 400 naming the parameter', async () => {
      expect((await api().get('/api/users?limit=0')).body).toEqual(aValidationProblem('query.limit'));
      expect((await api().get('/api/users?cursor=garbage')).body).toEqual(aValidationProblem('query.cursor'));
      expect((await api().get('/api/users?limt=5')).body).toEqual(aValidationProblem('query.limt'));
      expect((await api().get('/api/users?limit=1&limit=2')).body).toEqual(aValidationProblem('query.limit'));
      expect((await api().get('/api/users?__proto__=x')).body).toEqual(aValidationProblem('query.__proto__'));
      expect((await api().get('/api/users?cursor=%FF%FE')).body).toEqual(aValidationProblem('query.cursor'));
    });
  });

  describe('GET /api/users/:id', () => {
    it('when the user exists, then it is returned', async () => {
      const user = await create();
      expect((await api().get(`/api/users/${user.id}`)).body).toEqual(user);
    });

    it('when the client has the current version, then 304 without a body; after a change, 200 with a new ETag', async () => {
      const user = await create();
      const first = await api().get(`/api/users/${user.id}`);
      expect(first.headers['etag']).toMatch(/^"[\w-]{27}"$/);
      expect(first.headers['cache-control']).toBe('no-cache');
      const revalidated = await api().get(`/api/users/${user.id}`).set('If-None-Match', first.headers['etag']!);
      expect(revalidated.status).toBe(304);
      expect(revalidated.text).toBe('');
      await api()
        .patch(`/api/users/${user.id}`)
        .set(await authAs(user.id))
        .send({ bio: 'changed' });
      const changed = await api().get(`/api/users/${user.id}`).set('If-None-Match', first.headers['etag']!);
      expect(changed.status).toBe(200);
      expect(changed.body.bio).toBe('changed');
      expect(changed.headers['etag']).not.toBe(first.headers['etag']);
    });

    it.each(['999999', 'abc', '0', '-1', '1.5', '%F0%9F%98%80', '9'.repeat(30)])('when the id is %s, then 404', async (id) => {
      expect((await api().get(`/api/users/${id}`)).body).toEqual(aProblem(404, 'not_found'));
    });
  });

  describe('PATCH /api/users/:id', () => {
    it('when fields change, then they are saved and updatedAt moves', async () => {
      const user = await create();
      await new Promise((r) => setTimeout(r, 5));
      const res = await api()
        .patch(`/api/users/${user.id}`)
        .set(await authAs(user.id))
        .send({ displayName: 'New Name', bio: '' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: user.id, username: user.username, displayName: 'New Name', bio: '' });
      expect(res.body.updatedAt > user.updatedAt).toBe(true);
      expect((await api().get(`/api/users/${user.id}`)).body).toEqual(res.body);
    });

    it('when the new username belongs to someone else, then 409 and nothing changes', async () => {
      const [a, b] = [await create({ username: 'alpha' }), await create()];
      expect(
        (
          await api()
            .patch(`/api/users/${b.id}`)
            .set(await authAs(b.id))
            .send({ username: 'ALPHA' })
        ).status,
      ).toBe(409);
      expect((await api().get(`/api/users/${b.id}`)).body).toEqual(b);
      expect((await api().get(`/api/users/${a.id}`)).body).toEqual(a);
    });

    it('when the patch is empty, unknown or the user is missing, then 400 or 404', async () => {
      const user = await create();
      const auth = await authAs(user.id);
      expect((await api().patch(`/api/users/${user.id}`).set(auth).send({})).status).toBe(400);
      expect((await api().patch(`/api/users/${user.id}`).set(auth).send({ id: 5 })).body).toEqual(aValidationProblem('id', '(body)'));
      expect(
        (
          await api()
            .patch('/api/users/424242')
            .set(await authAs(424242))
            .send({ bio: 'x' })
        ).status,
      ).toBe(404);
    });

    it('when the caller is anonymous, expired or someone else, then 401, 401 or 403 and nothing changes', async () => {
      const [user, other] = [await create(), await create()];
      const patch = () => api().patch(`/api/users/${user.id}`).send({ bio: 'hijacked' });
      const anonymous = await patch();
      expect(anonymous.body).toEqual(aProblem(401, 'unauthorized'));
      expect(anonymous.headers['www-authenticate']).toBe('Bearer realm="forum"');
      expect((await patch().set(await expiredAuthAs(user.id))).body).toEqual(
        aProblem(401, 'unauthorized', { detail: 'The access token has expired' }),
      );
      expect((await patch().set(await authAs(other.id))).body).toEqual(aProblem(403, 'forbidden'));
      expect((await api().get(`/api/users/${user.id}`)).body).toEqual(user);
    });

    it('when the password changes, then only with the current one, and the new one signs in', async () => {
      const user = await create({ password: 'old password' });
      const auth = await authAs(user.id);
      const change = (body: object) => api().patch(`/api/users/${user.id}`).set(auth).send(body);
      expect((await change({ password: 'new password' })).body).toEqual(aValidationProblem('currentPassword'));
      expect((await change({ password: 'new password', currentPassword: 'wrong' })).body).toEqual(aProblem(403, 'forbidden'));
      expect((await change({ password: 'new password', currentPassword: 'old password' })).status).toBe(200);
      const signIn = (password: string) => api().post('/api/users/session').send({ username: user.username, password });
      expect((await signIn('old password')).status).toBe(401);
      expect((await signIn('new password')).status).toBe(200);
    });
    it('when a stolen token guesses currentPassword 30 times at once, then only the limit of guesses is checked and the rest, then the right one, are 429', async () => {
      const limited = await testUsersApi(database(), {
        loginLimits: { attemptsPerClientPerMinute: 100, failuresPerUsername: 3, failureWindowSeconds: 60 },
      });
      const user = await create({ password: 'old password' });
      const auth = await authAs(user.id);
      const change = (currentPassword: string, client: string) =>
        limited().patch(`/api/users/${user.id}`).set(auth).set('X-Forwarded-For', client).send({ password: 'new password', currentPassword });
      const guesses = await Promise.all(Array.from({ length: 30 }, (_, i) => change(`guess ${i}`, `198.51.100.${i + 1}`)));
      expect(guesses.filter((g) => g.status === 403)).toHaveLength(3);
      expect(guesses.filter((g) => g.status === 429)).toHaveLength(27);
      const right = await change('old password', '192.0.2.1');
      expect(right.body).toEqual(aProblem(429, 'too_many_requests'));
      expect(Number(right.headers['retry-after'])).toBeGreaterThan(0);
    });

    it('when one client changes passwords too often, then 429 with Retry-After', async () => {
      const limited = await testUsersApi(database(), {
        accountLimits: { registrationsPerClientPerMinute: 100, passwordChangesPerClientPerMinute: 2 },
      });
      const user = await create({ password: 'password 0' });
      const auth = await authAs(user.id);
      const statuses = [];
      for (let i = 0; i < 3; i++) {
        statuses.push(
          (
            await limited()
              .patch(`/api/users/${user.id}`)
              .set(auth)
              .send({ password: `password ${i + 1}`, currentPassword: `password ${i}` })
          ).status,
        );
      }
      expect(statuses).toEqual([200, 200, 429]);
    });
  });

  describe('DELETE /api/users/:id', () => {
    it('when the user exists, then 204 and it is gone; a second delete is 404', async () => {
      const user = await create();
      const auth = await authAs(user.id);
      expect((await api().delete(`/api/users/${user.id}`).set(auth)).status).toBe(204);
      expect((await api().get(`/api/users/${user.id}`)).status).toBe(404);
      expect((await api().delete(`/api/users/${user.id}`).set(auth)).status).toBe(404);
    });

    it('when someone else or nobody deletes a user, then 403 or 401 and the user stays', async () => {
      const [user, other] = [await create(), await create()];
      expect(
        (
          await api()
            .delete(`/api/users/${user.id}`)
            .set(await authAs(other.id))
        ).status,
      ).toBe(403);
      expect((await api().delete(`/api/users/${user.id}`)).status).toBe(401);
      expect((await api().get(`/api/users/${user.id}`)).status).toBe(200);
    });
  });

  describe('routing', () => {
    it('when a method is not supported, then 405 with Allow', async () => {
      const res = await api().put('/api/users/1').send({});
      expect(res.status).toBe(405);
      expect(res.headers['allow']).toBe('HEAD, GET, PATCH, DELETE');
    });

    it('when health and readiness are asked, then both answer 200', async () => {
      expect((await api().get('/api/users/health')).body).toEqual({ status: 'ok' });
      expect((await api().get('/api/users/ready')).body).toEqual({ status: 'ready' });
    });
  });
});
