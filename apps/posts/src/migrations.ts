import type { Kysely } from 'kysely';
import { columnTypes, type MigrationSet } from '@forum/db';

export const migrations: MigrationSet = (engine) => {
  const t = columnTypes(engine);
  return {
    '001_create_posts': {
      up: async (db: Kysely<unknown>) => {
        await t
          .id(db.schema.createTable('posts'))
          .addColumn('thread_id', 'bigint', (c) => c.notNull())
          .addColumn('author_id', 'bigint', (c) => c.notNull())
          .addColumn('text', 'text', (c) => c.notNull())
          .addColumn('created_at', t.timestamp, (c) => c.notNull())
          .addColumn('updated_at', t.timestamp, (c) => c.notNull())
          .execute();
        await db.schema.createIndex('posts_thread_idx').on('posts').columns(['thread_id', 'id']).execute();
        await db.schema.createIndex('posts_author_idx').on('posts').columns(['author_id', 'id']).execute();
      },
    },
  };
};
