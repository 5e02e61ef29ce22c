import { openDatabase } from '@forum/db';
import { createTestTarget, reachedThrough } from '@forum/db/testing';
import { aProblem, startTcpProxy } from '@forum/testing';
import { testUsersApi } from '../test/users-api';
import { migrations } from './migrations';
import type { UsersDatabase } from './users/users.repository';

const url = process.env['DATABASE_URL'];
const onPostgres = url ? describe : describe.skip;

/** The users service with PostgreSQL behind a proxy that the test cuts and restores. */
onPostgres('users service when PostgreSQL goes away and comes back', () => {
  it('when the database is cut, then reads answer 503 at once and readiness fails within a second; then both recover', async () => {
    const proxy = await startTcpProxy({ host: '127.0.0.1', port: 5432 });
    const target = await createTestTarget('postgres');
    const local = new URL(url!);
    local.host = `127.0.0.1:${proxy.port}`;
    const database = await openDatabase<UsersDatabase>(reachedThrough(target.target, local.toString()), migrations);
    const api = (await testUsersApi(database))();
    try {
      const user = (await api.post('/api/users').send({ username: 'survivor', displayName: 'S', password: 'long enough' })).body;
      await proxy.cut();

      let started = Date.now();
      const read = await api.get(`/api/users/${user.id}`);
      const readMs = Date.now() - started;
      expect(read.body).toEqual(aProblem(503, 'service_unavailable'));
      expect(readMs).toBeLessThan(2500);
      const write = await api.post('/api/users').send({ username: 'lost', displayName: 'L', password: 'long enough' });
      expect(write.status).toBe(503);

      started = Date.now();
      expect((await api.get('/api/users/ready')).status).toBe(503);
      const readyMs = Date.now() - started;
      expect(readyMs).toBeLessThan(1500);
      expect((await api.get('/api/users/health')).status).toBe(200);

      await proxy.restore();
      started = Date.now();
      expect((await api.get('/api/users/ready')).status).toBe(200);
      process.stdout.write(
        `database cut: read 503 after ${readMs} ms, readiness 503 after ${readyMs} ms; restored: ready again after ${Date.now() - started} ms\n`,
      );
      expect((await api.get(`/api/users/${user.id}`)).body).toEqual(user);
      expect((await api.get('/api/users')).body.items.map((u: { username: string }) => u.username)).toEqual(['survivor']);
    } finally {
      await database.close();
      await proxy.close();
      await target.drop();
    }
  });
});
