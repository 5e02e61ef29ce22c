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
    // A thread's page is the hottest list. On SQLite an index holding every column answers it from
    // one range of index pages instead of a table lookup per post (about 125 -> 75 µs per page of
    // 21 rows over a million posts, docs/performance.md), for about twice the file size. PostgreSQL
    // keeps the narrow index: a B-tree entry must stay under about 2.7 kB, which a post's text
    // (up to 10,000 characters) can exceed.
    '002_posts_thread_covering': {
      up: async (db: Kysely<unknown>) => {
        if (engine !== 'sqlite') return;
        await db.schema.dropIndex('posts_thread_idx').execute();
        await db.schema
          .createIndex('posts_thread_idx')
          .on('posts')
          .columns(['thread_id', 'id', 'author_id', 'text', 'created_at', 'updated_at'])
          .execute();
      },
    },
  };
};
