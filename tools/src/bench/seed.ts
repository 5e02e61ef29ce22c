import Database from 'better-sqlite3';
import { Client } from 'pg';

/** How much data a run seeds; `full` is the 100k users, 10k threads, 1M posts. */
export interface Scale {
  users: number;
  threads: number;
  posts: number;
}

export const scaleOf = (factor: number): Scale => ({
  users: Math.max(10, Math.round(100_000 * factor)),
  threads: Math.max(10, Math.round(10_000 * factor)),
  posts: Math.max(100, Math.round(1_000_000 * factor)),
});

/** Posts 1..OWNED belong to user 1, the account the write scenarios sign in as. */
export const OWNED_POSTS = 1000;

export type Store = { engine: 'sqlite'; dataDir: string } | { engine: 'postgres'; url: string; schemaOf: (service: string) => string };

/**
 * Bulk rows straight into the services' tables, after the services created them (set-based SQL:
 * a million posts take seconds, not the hours the API would). User 1 already exists (registered
 * through the API); every seeded user gets its password hash, so any of them can sign in.
 */
export async function seed(store: Store, scale: Scale): Promise<void> {
  const now = new Date().toISOString();
  const text = "'Seeded post number ' || g || ': long enough to look like a forum post, with a sentence or two of text in it.'";
  const statements = {
    users: `INSERT INTO users (username, display_name, bio, password_hash, created_at, updated_at)
      SELECT 'bench' || g, 'Bench user ' || g, 'Seeded', (SELECT password_hash FROM users WHERE id = 1), :at, :at FROM series WHERE g BETWEEN 2 AND ${scale.users}`,
    threads: `INSERT INTO threads (title, author_id, created_at, updated_at, last_activity_at)
      SELECT 'Seeded thread ' || g, 1 + (g % ${scale.users}), :at, :at, :at FROM series WHERE g <= ${scale.threads}`,
    posts: `INSERT INTO posts (thread_id, author_id, text, created_at, updated_at)
      SELECT 1 + (g % ${scale.threads}), CASE WHEN g <= ${OWNED_POSTS} THEN 1 ELSE 1 + (g % ${scale.users}) END, ${text}, :at, :at FROM series WHERE g <= ${scale.posts}`,
  };
  const largest = Math.max(scale.users, scale.threads, scale.posts);
  // Row g was written (largest - g) seconds before now (each engine's :at below): each row has an
  // instant of its own, in the order of the ids, as rows written through the API have.
  const secondsAgo = `(${largest} - g)`;
  for (const [service, statement] of Object.entries(statements)) {
    if (store.engine === 'sqlite') {
      const db = new Database(`${store.dataDir}/${service}.sqlite`);
      db.pragma('busy_timeout = 10000');
      const at = `strftime('%Y-%m-%dT%H:%M:%fZ', @now, '-' || ${secondsAgo} || ' seconds')`;
      db.prepare(
        `WITH RECURSIVE series(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM series WHERE g < ${largest}) ${statement}`.replace(/:at/g, () => at),
      ).run({ now });
      db.exec('ANALYZE');
      // Checkpointed and the write-ahead log truncated now: the service's open connection would
      // otherwise keep a log the size of the whole seed on disk until its first write.
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
    } else {
      const client = new Client({ connectionString: store.url });
      await client.connect();
      try {
        await client.query(`SET search_path TO ${store.schemaOf(service)}`);
        const at = `($1::timestamptz - ${secondsAgo} * interval '1 second')`;
        await client.query(
          `WITH series AS (SELECT generate_series(1, ${largest}) AS g) ${statement}`.replace(/:at/g, () => at),
          [now],
        );
        // Vacuumed now, not by autovacuum in the middle of a measured scenario (1M fresh rows invite it).
        await client.query(`VACUUM ANALYZE ${service}`);
      } finally {
        await client.end();
      }
    }
  }
}
