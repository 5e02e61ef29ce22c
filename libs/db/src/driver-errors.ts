// Error codes the drivers report, read in one place so callers name the case, not the code.
const codeOf = (error: unknown): unknown => (error as { code?: unknown } | null)?.code;

/** True for a unique-constraint violation on either engine (a duplicate key on insert or update). */
export function isUniqueViolation(error: unknown): boolean {
  const code = codeOf(error);
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/** True when PostgreSQL refused to create a schema because it exists (42P06, duplicate_schema). */
export function isDuplicateSchema(error: unknown): boolean {
  return codeOf(error) === '42P06';
}

/** True when PostgreSQL found no schema of the name a statement used (3F000, invalid_schema_name). */
export function isMissingSchema(error: unknown): boolean {
  return codeOf(error) === '3F000';
}
