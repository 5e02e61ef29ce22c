import { Client, type ClientConfig } from 'pg';
import { changeListeners, type Invalidations } from './invalidations';

export interface PostgresInvalidationsOptions {
  connection: ClientConfig;
  channel: string;
  /**
   * Sends one NOTIFY per payload, all in one statement, through the service's pool (not the
   * listening connection, which may be down).
   */
  notify: (channel: string, payloads: string[]) => Promise<void>;
  onError: (error: unknown) => void;
}

/**
 * Every task of a service LISTENs on one PostgreSQL channel and a change is a NOTIFY on it, sent
 * after the write committed; a task learns of another's write within a round trip. When the
 * listening connection drops, caches are cleared and bypassed until it is back. Changes announced
 * while an announcement is on its way go together in the next one (see `inBatches`).
 */
export function postgresInvalidations(options: PostgresInvalidationsOptions): Invalidations {
  const listeners = changeListeners();
  const notify = inBatches((payloads: string[]) => options.notify(options.channel, payloads));
  const listening = listenOn(options, {
    onNotification: (payload) => {
      const [table, id] = payload.split(':');
      if (table && id) listeners.tell(table, Number(id));
    },
    // Whatever happened while not listening is unknown, so every cached row goes.
    onGap: () => listeners.tellEveryTable('all'),
  });
  return {
    get ready() {
      return listening.ready;
    },
    publish: async (table, id) => {
      listeners.tell(table, id);
      await notify(`${table}:${id}`);
    },
    subscribe: listeners.add,
    close: listening.close,
  };
}

/** More than a busy task's writes in one round trip; a batch stays far below a statement's limits. */
const MOST_PER_BATCH = 500;

/**
 * Sends items in batches, one batch at a time: an item that arrives while nothing is on its way
 * goes at once (after the current microtasks, with whatever they add), and items that arrive
 * while a batch is on its way wait for it and then go together. Under load a write pays a share of
 * one round trip instead of its own; unloaded it waits for nothing. Each caller's promise settles
 * with the batch its item went in.
 */
export function inBatches<T>(send: (items: T[]) => Promise<void>, most = MOST_PER_BATCH): (item: T) => Promise<void> {
  let previous: Promise<unknown> = Promise.resolve();
  let open: { items: T[]; sent: Promise<void> } | undefined;
  return (item) => {
    if (!open || open.items.length >= most) {
      const batch: { items: T[]; sent: Promise<void> } = { items: [], sent: Promise.resolve() };
      batch.sent = previous.then(() => {
        if (open === batch) open = undefined;
        return send(batch.items);
      });
      previous = batch.sent.catch(() => undefined);
      open = batch;
    }
    open.items.push(item);
    return open.sent;
  };
}

/**
 * A connection that LISTENs on the channel and reconnects with backoff when lost. `onGap` is
 * called whenever announcements may have been missed: on losing the connection and on regaining it.
 */
function listenOn(options: PostgresInvalidationsOptions, events: { onNotification(payload: string): void; onGap(): void }) {
  const { connection, channel, onError } = options;
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
    next.on('notification', (message) => events.onNotification(message.payload ?? ''));
    next.on('error', (error) => client === next && lost(error));
    next.on('end', () => client === next && lost(new Error('listening connection ended')));
    try {
      await next.connect();
      await next.query(`LISTEN ${channel}`);
      if (closed) throw new Error('closed');
      client = next;
      retryMs = 500;
      events.onGap();
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
    events.onGap();
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
