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
    expect(res.body).toEqual({ accessToken: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/), tokenType: 'Bearer', expiresIn: 600, userId: expect.any(Number) });
    expect(res.headers['cache-control']).toBe('no-store');
    const patched = await api().patch(`/api/users/${res.body.userId}`).set('Authorization', `Bearer ${res.body.accessToken}`).send({ bio: 'signed in' });
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
    expect((await api().post('/api/users/session').send({ username: 'finn', password: 'x', remember: true })).body).toEqual(aValidationProblem('remember'));
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
});
