import { sql, type Generated, type Kysely } from 'kysely';
import { createTestTarget, reachedThrough, startTcpProxy, testEngines } from '@forum/db/testing';
import { columnTypes } from './columns';
import type { MigrationSet } from './migrate';
import { openDatabase, type Database } from './open-database';
import { localInvalidations } from './invalidations';
import { approximateBytes, readCache } from './read-cache';

interface Row {
  id: number;
  title: string;
}

const migrations: MigrationSet = (engine) => ({
  '001_rows': {
    up: async (db: Kysely<unknown>) => {
      await columnTypes(engine)
        .id(db.schema.createTable('rows'))
        .addColumn('title', 'text', (c) => c.notNull())
        .execute();
    },
  },
});

type Rows = { rows: { id: Generated<number>; title: string } };
const until = async (condition: () => boolean | Promise<boolean>, ms = 2000) => {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 10))) if (await condition()) return true;
  return false;
};

describe('readCache', () => {
  const loads: number[] = [];
  const load = async (id: number): Promise<Row | undefined> => {
    loads.push(id);
    return id < 100 ? { id, title: `row ${id}` } : undefined;
  };
  beforeEach(() => (loads.length = 0));

  it('when a row is read twice, then it is loaded once and served frozen; a missing row is never cached', async () => {
    const cache = readCache<Row>({ table: 'rows', invalidations: localInvalidations() });
    expect(await cache.get(1, load)).toEqual({ id: 1, title: 'row 1' });
    const again = await cache.get(1, load);
    expect(Object.isFrozen(again)).toBe(true);
    await cache.get(100, load);
    await cache.get(100, load);
    expect(loads).toEqual([1, 100, 100]);
  });

  it('when its budget is 0 (READ_CACHE_MB=0), then nothing is kept and every read loads', async () => {
    const cache = readCache<Row>({ table: 'rows', invalidations: localInvalidations(), maxBytes: 0 });
    expect(await cache.get(1, load)).toEqual({ id: 1, title: 'row 1' });
    await cache.get(1, load);
    await cache.changed(1);
    expect(loads).toEqual([1, 1]);
    expect(cache.size()).toEqual({ bytes: 0, entries: 0 });
  });

  it('when a row changes, then the next read loads it again', async () => {
    const cache = readCache<Row>({ table: 'rows', invalidations: localInvalidations() });
    await cache.get(1, load);
    await cache.changed(1);
    await cache.get(1, load);
    expect(loads).toEqual([1, 1]);
  });

  it('when a change is announced while a row is being read, then what was read is not kept', async () => {
    const cache = readCache<Row>({ table: 'rows', invalidations: localInvalidations() });
    await cache.get(1, async (id) => {
      await cache.changed(id); // another request wrote the row meanwhile
      return { id, title: 'stale' };
    });
    expect(await cache.get(1, load)).toEqual({ id: 1, title: 'row 1' });
  });

  it('when its bytes are spent or an entry expired, then the least recently used and the expired entries go', async () => {
    const twoRows = 2 * approximateBytes({ id: 1, title: 'row 1' });
    const cache = readCache<Row>({ table: 'rows', invalidations: localInvalidations(), maxBytes: twoRows, ttlMs: 50 });
    await cache.get(1, load);
    await cache.get(2, load);
    await cache.get(1, load); // 1 is now the most recent
    await cache.get(3, load); // 2 goes
    await cache.get(1, load);
    await cache.get(2, load);
    expect(loads).toEqual([1, 2, 3, 2]);
    expect(cache.size()).toEqual({ bytes: twoRows, entries: 2 });
    await new Promise((r) => setTimeout(r, 60));
    await cache.get(1, load);
    expect(loads).toEqual([1, 2, 3, 2, 1]);
  });

  it('when it keeps rows on their second miss, then a row read once is not kept, and one read again is', async () => {
    const cache = readCache<Row>({ table: 'rows', invalidations: localInvalidations(), keepOnSecondMiss: true });
    await cache.get(1, load);
    expect(cache.size().entries).toBe(0);
    await cache.get(1, load);
    await cache.get(1, load);
    await cache.get(1, load);
    expect(loads).toEqual([1, 1]);
    expect(cache.size().entries).toBe(1);
  });

  it('when it keeps rows on their second miss, then a scan of rows read once evicts none of the rows read often', async () => {
    const twoRows = 2 * approximateBytes({ id: 1, title: 'row 1' });
    const rows = async (id: number): Promise<Row> => ({ id, title: `row ${id % 10}` });
    const scanned = readCache<Row>({ table: 'rows', invalidations: localInvalidations(), maxBytes: twoRows, keepOnSecondMiss: true });
    const plain = readCache<Row>({ table: 'rows', invalidations: localInvalidations(), maxBytes: twoRows });
    const reloadedAfterScan = async (cache: typeof plain) => {
      for (const id of [1, 2, 1, 2]) await cache.get(id, load);
      for (let id = 1000; id < 1100; id++) await cache.get(id, rows);
      loads.length = 0;
      await cache.get(1, load);
      await cache.get(2, load);
      return [...loads];
    };
    expect(await reloadedAfterScan(scanned)).toEqual([]);
    expect(await reloadedAfterScan(plain)).toEqual([1, 2]);
  });

  it('when rows are larger, then fewer of them fit the same budget', async () => {
    const budget = 10 * approximateBytes({ id: 1, title: 'row 1' });
    const long = async (id: number): Promise<Row> => ({ id, title: 'x'.repeat(300) });
    const cache = readCache<Row>({ table: 'rows', invalidations: localInvalidations(), maxBytes: budget });
    for (let id = 1; id <= 10; id++) await cache.get(id, long);
    expect(cache.size().entries).toBe(Math.floor(budget / approximateBytes({ id: 1, title: 'x'.repeat(300) })));
    expect(cache.size().entries).toBeLessThan(10);
    expect(cache.size().bytes).toBeLessThanOrEqual(budget);
  });
});

// PostgreSQL only (cross-task invalidation is LISTEN/NOTIFY); skipped, not an empty .each, without it.
(testEngines.includes('postgres') ? describe : describe.skip)('read caches of several tasks on postgres', () => {
  const engine = 'postgres' as const;
  it('when one task writes a row, then another task’s cache drops it within a second', async () => {
    const target = await createTestTarget(engine);
    const tasks: Database<Rows>[] = [await openDatabase<Rows>(target.target, migrations), await openDatabase<Rows>(target.target, migrations)];
    try {
      const [a, b] = tasks as [Database<Rows>, Database<Rows>];
      await until(() => a.invalidations.ready && b.invalidations.ready);
      const { id } = await a.db.insertInto('rows').values({ title: 'first' }).returning('id').executeTakeFirstOrThrow();
      const find = (db: Kysely<Rows>) => (rowId: number) => db.selectFrom('rows').selectAll().where('id', '=', rowId).executeTakeFirst();
      const cacheA = readCache<Row>({ table: 'rows', invalidations: a.invalidations });
      const cacheB = readCache<Row>({ table: 'rows', invalidations: b.invalidations });
      expect(await cacheA.get(id, find(a.db))).toEqual({ id, title: 'first' });

      await b.db.updateTable('rows').set({ title: 'second' }).where('id', '=', id).execute();
      await cacheB.changed(id);
      expect(await until(async () => (await cacheA.get(id, find(a.db)))?.title === 'second', 1000)).toBe(true);
    } finally {
      await Promise.all(tasks.map((t) => t.close()));
      await target.drop();
    }
  });

  it('when one task writes many rows at once, then the other task drops every one of them (the announcements go in batches)', async () => {
    const target = await createTestTarget(engine);
    const tasks: Database<Rows>[] = [await openDatabase<Rows>(target.target, migrations), await openDatabase<Rows>(target.target, migrations)];
    try {
      const [a, b] = tasks as [Database<Rows>, Database<Rows>];
      await until(() => a.invalidations.ready && b.invalidations.ready);
      const ids = Array.from({ length: 1200 }, (_, i) => i + 1);
      const dropped = new Set<number | 'all'>();
      a.invalidations.subscribe('rows', (id) => dropped.add(id));
      await Promise.all(ids.map((id) => b.invalidations.publish('rows', id)));
      expect(await until(() => ids.every((id) => dropped.has(id)), 2000)).toBe(true);
      expect(dropped.has('all')).toBe(false);
    } finally {
      await Promise.all(tasks.map((t) => t.close()));
      await target.drop();
    }
  });

  it('when the listening connection is lost, then the cache is bypassed until it is back', async () => {
    const proxy = await startTcpProxy({ host: '127.0.0.1', port: 5432 });
    const target = await createTestTarget(engine);
    const url = new URL(process.env['DATABASE_URL']!);
    url.host = `127.0.0.1:${proxy.port}`;
    const task = await openDatabase<Rows>(reachedThrough(target.target, url.toString()), migrations);
    try {
      await until(() => task.invalidations.ready);
      const cache = readCache<Row>({ table: 'rows', invalidations: task.invalidations });
      let loads = 0;
      const load = async (id: number) => ((loads += 1), { id, title: 'x' });
      await cache.get(1, load);
      await cache.get(1, load);
      expect(loads).toBe(1);
      await proxy.cut();
      expect(await until(() => !task.invalidations.ready)).toBe(true);
      await cache.get(1, load);
      expect(loads).toBe(2);
      await proxy.restore();
      expect(await until(() => task.invalidations.ready, 5000)).toBe(true);
      await sql`select 1`.execute(task.db).catch(() => undefined);
    } finally {
      await task.close();
      await proxy.close();
      await target.drop();
    }
  });
});
