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

export type OnChange = (id: number | 'all') => void;

/** The subscribers of each table, shared by every way of carrying announcements. */
export function changeListeners() {
  const listeners = new Map<string, OnChange[]>();
  return {
    add: (table: string, onChange: OnChange): void => void listeners.set(table, [...(listeners.get(table) ?? []), onChange]),
    tell: (table: string, id: number | 'all'): void => listeners.get(table)?.forEach((listener) => listener(id)),
    tellEveryTable: (id: number | 'all'): void => listeners.forEach((list) => list.forEach((listener) => listener(id))),
  };
}

/** One process owns an SQLite file, so announcing a change is telling itself. */
export function localInvalidations(): Invalidations {
  const listeners = changeListeners();
  return {
    ready: true,
    publish: async (table, id) => listeners.tell(table, id),
    subscribe: listeners.add,
    close: async () => undefined,
  };
}
