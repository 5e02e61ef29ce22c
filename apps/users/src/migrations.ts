import { sql, type Kysely } from 'kysely';
import { columnTypes, type MigrationSet } from '@forum/db';

export const migrations: MigrationSet = (engine) => {
  const t = columnTypes(engine);
  return {
    '001_create_users': {
      up: async (db: Kysely<unknown>) => {
        await t
          .id(db.schema.createTable('users'))
          .addColumn('username', 'text', (c) => c.notNull())
          .addColumn('display_name', 'text', (c) => c.notNull())
          .addColumn('bio', 'text', (c) => c.notNull().defaultTo(''))
          .addColumn('created_at', t.timestamp, (c) => c.notNull())
          .addColumn('updated_at', t.timestamp, (c) => c.notNull())
          .execute();
        // Usernames are ASCII, so lower() is the same case folding on both engines.
        await db.schema
          .createIndex('users_username_key')
          .on('users')
          .expression(sql`lower(username)`)
          .unique()
          .execute();
      },
    },
    '002_add_password_hash': {
      // Accounts created before sign-in existed have no password ('' never matches) and cannot sign in.
      up: async (db: Kysely<unknown>) => {
        await db.schema
          .alterTable('users')
          .addColumn('password_hash', 'text', (c) => c.notNull().defaultTo(''))
          .execute();
      },
    },
  };
};
