import { Client, type ClientConfig } from 'pg';

/**
 * Changes announced to every process serving the same data, so each can drop what it cached.
 * `ready` is false while a process may be missing announcements (its listening connection is
 * down); caches are bypassed then.
 */
export interface Invalidations {
  readonly ready: boolean;
  publish(table: string, id: number): Promise<void>;
  subscribe(table: string, onChange: (id: number | 'all') => void): void;
  close(): Promise<void>;
}

/** One process owns an SQLite file, so announcing a change is telling itself. */
export function localInvalidations(): Invalidations {
  const listeners = new Map<string, ((id: number | 'all') => void)[]>();
  return {
    ready: true,
    publish: async (table, id) => listeners.get(table)?.forEach((listener) => listener(id)),
    subscribe: (table, onChange) => listeners.set(table, [...(listeners.get(table) ?? []), onChange]),
    close: async () => undefined,
  };
}

/**
 * Every task of a service LISTENs on one PostgreSQL channel and a change is a NOTIFY on it, sent
 * after the write committed; a task learns of another's write within a round trip. When the
 * listening connection drops, caches are cleared and bypassed until it is back.
 */
export function postgresInvalidations(options: {
  connection: ClientConfig;
  channel: string;
  /** Sends a NOTIFY through the service's pool (not the listening connection, which may be down). */
  notify: (channel: string, payload: string) => Promise<void>;
  onError: (error: unknown) => void;
}): Invalidations {
  const { connection, channel, onError } = options;
  const listeners = new Map<string, ((id: number | 'all') => void)[]>();
  const everyone = (id: number | 'all', table?: string) =>
    (table ? [listeners.get(table) ?? []] : [...listeners.values()]).forEach((list) => list.forEach((listener) => listener(id)));
  let client: Client | undefined;
  let connecting: Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  let ready = false;
  let closed = false;
  let retryMs = 500;

  const connect = async (): Promise<void> => {
    if (closed) return;
    const next = new Client(connection);
    connecting = next;
    next.on('notification', (message) => {
      const [table, id] = (message.payload ?? '').split(':');
      if (table && id) everyone(Number(id), table);
    });
    next.on('error', (error) => client === next && lost(error));
    next.on('end', () => client === next && lost(new Error('listening connection ended')));
    try {
      await next.connect();
      await next.query(`LISTEN ${channel}`);
      if (closed) throw new Error('closed');
      client = next;
      retryMs = 500;
      everyone('all'); // whatever happened while not listening is unknown
      ready = true;
    } catch (error) {
      await next.end().catch(() => undefined);
      lost(error);
    } finally {
      if (connecting === next) connecting = undefined;
    }
  };
  const lost = (error: unknown) => {
    ready = false;
    client = undefined;
    everyone('all');
    if (closed) return;
    onError(error);
    retry = setTimeout(() => void connect(), retryMs);
    retry.unref();
    retryMs = Math.min(retryMs * 2, 10000);
  };
  void connect();

  return {
    get ready() {
      return ready;
    },
    publish: async (table, id) => {
      everyone(id, table);
      await options.notify(channel, `${table}:${id}`);
    },
    subscribe: (table, onChange) => listeners.set(table, [...(listeners.get(table) ?? []), onChange]),
    close: async () => {
      closed = true;
      ready = false;
      clearTimeout(retry);
      const open = [client, connecting].filter((c): c is Client => c !== undefined);
      client = undefined;
      await Promise.all(open.map((c) => c.end().catch(() => undefined)));
    },
  };
}

export interface ReadCacheOptions {
  table: string;
  invalidations: Invalidations;
  /** Most entries kept (least recently used go first). */
  max?: number;
  /** Longest an entry is served, as a safety net behind the announcements. */
  ttlMs?: number;
}

/**
 * A read-through cache of rows by id, for hot reads. A write calls `changed(id)` after it
 * committed: the entry goes here at once and in every other task when the announcement arrives.
 * A read that raced a change is not cached (entries are stored only when no change was announced
 * while the row was being read), so a stale row is never kept past the announcement.
 */
export function readCache<T extends object>(options: ReadCacheOptions) {
  const max = options.max ?? 10000;
  const ttlMs = options.ttlMs ?? 60000;
  const entries = new Map<number, { value: T; expires: number }>();
  let changes = 0;
  options.invalidations.subscribe(options.table, (id) => {
    changes += 1;
    if (id === 'all') entries.clear();
    else entries.delete(id);
  });

  return {
    get: async (id: number, load: (id: number) => Promise<T | undefined>): Promise<T | undefined> => {
      if (!options.invalidations.ready) return load(id);
      const hit = entries.get(id);
      if (hit && hit.expires > Date.now()) {
        entries.delete(id); // re-inserted: most recently used last
        entries.set(id, hit);
        return hit.value;
      }
      const before = changes;
      const value = await load(id);
      if (value && changes === before && options.invalidations.ready) {
        entries.set(id, { value: Object.freeze(value), expires: Date.now() + ttlMs });
        if (entries.size > max) entries.delete(entries.keys().next().value as number);
      }
      return value;
    },
    /** Call after a write of this row committed. */
    changed: (id: number): Promise<void> => options.invalidations.publish(options.table, id),
  };
}

export type ReadCache<T extends object> = ReturnType<typeof readCache<T>>;
