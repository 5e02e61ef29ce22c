import { testEngines, useTestDatabase, aProblem, aValidationProblem } from '@forum/testing';
import { migrations } from '../migrations';
import { testUsersApi } from '../../test/users-api';
import type { UsersDatabase } from '../users/users.repository';

describe.each(testEngines)('POST /api/users/session on %s', (engine) => {
  const database = useTestDatabase<UsersDatabase>(engine, migrations);
  const limits = { attemptsPerClientPerMinute: 6, failuresPerUsername: 3, failureWindowSeconds: 60 };
  let api: Awaited<ReturnType<typeof testUsersApi>>;
  beforeEach(async () => {
    api = await testUsersApi(database(), { loginLimits: limits });
    await api().post('/api/users').send({ username: 'Finn', displayName: 'Finn', password: 'mathematical!' }).expect(201);
  });
  const signIn = (username: string, password: string, client = '203.0.113.7') =>
    api().post('/api/users/session').set('X-Forwarded-For', client).send({ username, password });

  it('when the credentials are right, then a bearer token that the API accepts, not cached', async () => {
    const res = await signIn('finn', 'mathematical!');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      accessToken: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      tokenType: 'Bearer',
      expiresIn: 600,
      userId: expect.any(Number),
    });
    expect(res.headers['cache-control']).toBe('no-store');
    const patched = await api()
      .patch(`/api/users/${res.body.userId}`)
      .set('Authorization', `Bearer ${res.body.accessToken}`)
      .send({ bio: 'signed in' });
    expect(patched.body).toMatchObject({ bio: 'signed in' });
  });

  it('when the password or the username is wrong, then the same 401 that names neither', async () => {
    const wrongPassword = await signIn('Finn', 'Mathematical!');
    const unknownUser = await signIn('jake', 'mathematical!');
    expect(wrongPassword.body).toEqual(aProblem(401, 'unauthorized', { detail: 'Wrong username or password' }));
    expect(unknownUser.body).toEqual({ ...wrongPassword.body, requestId: unknownUser.body.requestId });
  });

  it('when fields are missing or extra, then 400 naming them', async () => {
    expect((await api().post('/api/users/session').send({ username: 'finn' })).body).toEqual(aValidationProblem('password'));
    expect((await api().post('/api/users/session').send({ username: 'finn', password: 'x', remember: true })).body).toEqual(
      aValidationProblem('remember'),
    );
    // Found by the generated requests: a NUL reached PostgreSQL's text comparison (500).
    expect((await api().post('/api/users/session').send({ username: '\u0000', password: 'x' })).body).toEqual(aValidationProblem('username'));
  });

  it('when a username fails too often, then 429 with Retry-After from any client, even with the right password', async () => {
    for (let i = 0; i < limits.failuresPerUsername; i++) expect((await signIn('finn', 'guess', `198.51.100.${i}`)).status).toBe(401);
    const locked = await signIn('FINN', 'mathematical!', '192.0.2.1');
    expect(locked.body).toEqual(aProblem(429, 'too_many_requests'));
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(locked.headers['retry-after'])).toBeLessThanOrEqual(limits.failureWindowSeconds);
  });

  it('when a success comes before the limit, then the failures are forgotten', async () => {
    for (let i = 0; i < limits.failuresPerUsername - 1; i++) await signIn('finn', 'guess');
    expect((await signIn('finn', 'mathematical!', '192.0.2.9')).status).toBe(200);
    expect((await signIn('finn', 'guess', '192.0.2.9')).status).toBe(401);
    expect((await signIn('finn', 'mathematical!', '192.0.2.9')).status).toBe(200);
  });

  it('when one client tries too often, then 429 for it, while another client still signs in', async () => {
    const statuses = [];
    for (let i = 0; i < limits.attemptsPerClientPerMinute + 1; i++) statuses.push((await signIn(`someone${i}`, 'guess')).status);
    expect(statuses).toEqual([...Array(limits.attemptsPerClientPerMinute).fill(401), 429]);
    expect((await signIn('finn', 'mathematical!', '192.0.2.200')).status).toBe(200);
  });

  it('when 50 wrong passwords for one username arrive at once from 50 addresses, then only the limit of them is checked and the rest are 429', async () => {
    const guesses = await Promise.all(Array.from({ length: 50 }, (_, i) => signIn('finn', `guess ${i}`, `198.51.100.${i + 1}`)));
    const statuses = guesses.map((g) => g.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(limits.failuresPerUsername);
    expect(statuses.filter((s) => s === 429)).toHaveLength(50 - limits.failuresPerUsername);
    expect((await signIn('finn', 'mathematical!', '192.0.2.77')).status).toBe(429);
  });

  it("when an account has an empty stored hash, then no password signs it in, the decoy's included", async () => {
    await api().post('/api/users').send({ username: 'Legacy', displayName: 'Legacy', password: 'legacy password' }).expect(201);
    await database().db.updateTable('users').set({ passwordHash: '' }).where('username', '=', 'Legacy').execute();
    for (const password of ["not anyone's password", 'legacy password', ' ']) {
      expect((await signIn('legacy', password)).body).toEqual(aProblem(401, 'unauthorized', { detail: 'Wrong username or password' }));
    }
  });

  it('when a client reaches the service directly, not through a trusted proxy, then a forged X-Forwarded-For does not give it new attempts', async () => {
    const direct = await testUsersApi(database(), { loginLimits: limits, trustedProxies: ['10.0.0.0/16'] });
    const statuses = [];
    for (let i = 0; i < limits.attemptsPerClientPerMinute + 1; i++) {
      statuses.push(
        (
          await direct()
            .post('/api/users/session')
            .set('X-Forwarded-For', `203.0.113.${i}`)
            .send({ username: `someone${i}`, password: 'guess' })
        ).status,
      );
    }
    expect(statuses).toEqual([...Array(limits.attemptsPerClientPerMinute).fill(401), 429]);
  });

  it('when more sign-ins arrive at once than the hash slots and their queue hold, then the excess is 503 with Retry-After at once', async () => {
    const bounded = await testUsersApi(database(), { hashSlots: { signIn: { atOnce: 1, queue: 1 }, accounts: { atOnce: 1, queue: 1 } } });
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        bounded()
          .post('/api/users/session')
          .set('X-Forwarded-For', `198.51.100.${i + 1}`)
          .send({ username: 'finn', password: 'wrong' }),
      ),
    );
    const refused = answers.filter((a) => a.status === 503);
    expect(refused.length).toBeGreaterThan(0);
    expect(answers.every((a) => a.status === 401 || a.status === 503)).toBe(true);
    expect(refused[0]?.body).toEqual(aProblem(503, 'service_unavailable'));
    expect(refused[0]?.headers['retry-after']).toBe('1');
  });
});
