import type { ColumnDataType, ColumnDefinitionBuilder, CreateTableBuilder } from 'kysely';
import type { Engine } from './target';

/** The two column kinds whose type differs between the engines. */
export function columnTypes(engine: Engine) {
  return {
    /** Adds an auto-generated primary key `id` that is never reused after a delete. */
    id: <T extends string>(table: CreateTableBuilder<T, never>) =>
      engine === 'sqlite'
        ? table.addColumn('id', 'integer', (c: ColumnDefinitionBuilder) => c.primaryKey().autoIncrement())
        : table.addColumn('id', 'bigint', (c: ColumnDefinitionBuilder) => c.primaryKey().generatedByDefaultAsIdentity()),
    timestamp: (engine === 'sqlite' ? 'text' : 'timestamptz') as ColumnDataType,
  };
}
