import type { Kysely } from 'kysely';
import { columnTypes, type MigrationSet } from '@forum/db';

export const migrations: MigrationSet = (engine) => {
  const t = columnTypes(engine);
  return {
    '001_create_threads': {
      up: async (db: Kysely<unknown>) => {
        await t
          .id(db.schema.createTable('threads'))
          .addColumn('title', 'text', (c) => c.notNull())
          .addColumn('author_id', 'bigint', (c) => c.notNull())
          .addColumn('created_at', t.timestamp, (c) => c.notNull())
          .addColumn('updated_at', t.timestamp, (c) => c.notNull())
          .addColumn('last_activity_at', t.timestamp, (c) => c.notNull())
          .execute();
        // The thread list: newest activity first.
        await db.schema.createIndex('threads_activity_idx').on('threads').columns(['last_activity_at desc', 'id desc']).execute();
      },
    },
  };
};
