import { sql } from 'kysely';
import { createTestTarget, testEngines } from '@forum/db/testing';
import type { MigrationSet } from './migrate';
import { openDatabase } from './open-database';
import { isoTimestamp } from './pg-types';

describe('isoTimestamp', () => {
  it.each([
    '2026-12-02 18:41:21.203456+00',
    '2026-12-02 18:41:21.2039+00',
    '2026-12-02 18:41:21.9999+00',
    '2026-12-02 18:41:21.123+00',
    '2026-12-02 18:41:21.25+00',
    '2026-12-02 18:41:21.2+00',
    '2026-12-02 18:41:21+00',
    '1999-01-01 00:00:00.5+00',
    '2026-12-02 20:41:21.203+02', // not UTC: through Date
    '2026-12-02 18:41:21.203+05:30',
    '10000-01-01 00:00:00+00', // a year of five digits: through Date
  ])('when PostgreSQL writes %s, then it is the ISO string Date makes of it', (text) => {
    expect(isoTimestamp(text)).toBe(new Date(text).toISOString());
  });

  it('when timestamps are read one after another, equal or not, then each is its own ISO string', () => {
    const texts = ['2026-12-02 18:41:21.203+00', '2026-12-02 18:41:21.203+00', '2026-12-02 18:41:22.5+00', '2026-12-02 18:41:21.203+00'];
    expect(texts.map(isoTimestamp)).toEqual(texts.map((text) => new Date(text).toISOString()));
  });

  it('when the year has leading zeros, then it keeps them (where Date reads 0099 as 1999)', () => {
    expect(isoTimestamp('0099-01-01 00:00:00.25+00')).toBe('0099-01-01T00:00:00.250Z');
  });
});

(testEngines.includes('postgres') ? describe : describe.skip)('timestamps read from postgres', () => {
  it('when timestamps of any precision and zone are read, then each is the ISO string of the same instant', async () => {
    const target = await createTestTarget('postgres');
    const none: MigrationSet = () => ({});
    const database = await openDatabase(target.target, none);
    try {
      const written = ['2026-12-02T18:41:21.203456Z', '2026-12-02T18:41:21Z', '2026-12-02T23:11:21.5+04:30', '1970-01-01T00:00:00.001Z'];
      const { rows } = await sql<{ at: string }>`select unnest(${written}::timestamptz[]) as at`.execute(database.db);
      expect(rows.map((r) => r.at)).toEqual(written.map((w) => new Date(w).toISOString()));
    } finally {
      await database.close();
      await target.drop();
    }
  });
});
