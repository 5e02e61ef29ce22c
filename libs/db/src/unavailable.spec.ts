import { sql } from 'kysely';
import { createTestTarget, reachedThrough, startTcpProxy } from '@forum/db/testing';
import type { MigrationSet } from './migrate';
import { openDatabase } from './open-database';
import { isConnectionError } from './unavailable';

const noMigrations: MigrationSet = () => ({});

describe('isConnectionError', () => {
  it.each([
    [{ code: 'ECONNREFUSED' }, true],
    [{ code: '57P01' }, true],
    [{ code: '08006' }, true],
    [{ message: 'timeout exceeded when trying to connect' }, true],
    [{ code: '23505' }, false],
    [{ code: '42P01' }, false],
    [new Error('boom'), false],
  ])('when the error is %j, then it is %s', (error, expected) => {
    expect(isConnectionError(error)).toBe(expected);
  });
});

const url = process.env['DATABASE_URL'];
const onPostgres = url ? describe : describe.skip;

onPostgres('losing PostgreSQL (through a proxy that is cut)', () => {
  it('when the database is unreachable at start-up, then opening retries with backoff and then fails', async () => {
    const proxy = await startTcpProxy({ host: '127.0.0.1', port: 5432 });
    await proxy.cut();
    const target = await createTestTarget('postgres');
    const retries: number[] = [];
    const local = new URL(url!);
    local.host = `127.0.0.1:${proxy.port}`;
    const started = Date.now();
    await expect(
      openDatabase(reachedThrough(target.target, local.toString()), noMigrations, {
        attempts: 3,
        backoffMs: 50,
        onRetry: (_attempt, delayMs) => retries.push(delayMs),
      }),
    ).rejects.toMatchObject({ code: 'service_unavailable' });
    expect(retries).toEqual([50, 100]);
    expect(Date.now() - started).toBeLessThan(5000);
    await proxy.close();
    await target.drop();
  });

  it('when the database goes away while running, then queries fail fast as unavailable and recover when it returns', async () => {
    const proxy = await startTcpProxy({ host: '127.0.0.1', port: 5432 });
    const target = await createTestTarget('postgres');
    const local = new URL(url!);
    local.host = `127.0.0.1:${proxy.port}`;
    const database = await openDatabase(reachedThrough(target.target, local.toString()), noMigrations);
    try {
      await expect(database.ping()).resolves.toBeUndefined();
      await proxy.cut();
      const started = Date.now();
      await expect(sql`select 1`.execute(database.db)).rejects.toMatchObject({ code: 'service_unavailable', status: 503 });
      await expect(database.ping()).rejects.toMatchObject({ code: 'service_unavailable' });
      expect(Date.now() - started).toBeLessThan(3000);
      await proxy.restore();
      await expect(database.ping()).resolves.toBeUndefined();
    } finally {
      await database.close();
      await proxy.close();
      await target.drop();
    }
  });
});
