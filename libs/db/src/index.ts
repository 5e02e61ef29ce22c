export * from './columns';
export * from './open-database';
export * from './service-database';
export type { MigrationSet } from './migrate';
export { isUniqueViolation } from './driver-errors';
export * from './target';
export * from './unavailable';
export * from './read-cache';
