import { types } from 'pg';

// ids are bigint in PostgreSQL and stay below 2^53; timestamps travel as ISO-8601 strings
// on both engines, so repositories see the same values whatever the engine.
export const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === types.builtins.INT8) return (value: string) => Number(value);
    if (oid === types.builtins.TIMESTAMPTZ) return (value: string) => new Date(value).toISOString();
    return types.getTypeParser(oid, format);
  },
} as const;
