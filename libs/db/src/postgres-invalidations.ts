import { Client, type ClientConfig } from 'pg';
import { changeListeners, type Invalidations } from './invalidations';

export interface PostgresInvalidationsOptions {
  connection: ClientConfig;
  channel: string;
  /** Sends a NOTIFY through the service's pool (not the listening connection, which may be down). */
  notify: (channel: string, payload: string) => Promise<void>;
  onError: (error: unknown) => void;
}

/**
 * Every task of a service LISTENs on one PostgreSQL channel and a change is a NOTIFY on it, sent
 * after the write committed; a task learns of another's write within a round trip. When the
 * listening connection drops, caches are cleared and bypassed until it is back.
 */
export function postgresInvalidations(options: PostgresInvalidationsOptions): Invalidations {
  const listeners = changeListeners();
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
      await options.notify(options.channel, `${table}:${id}`);
    },
    subscribe: listeners.add,
    close: listening.close,
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
