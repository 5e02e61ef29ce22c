export * from './columns';
export * from './open-database';
export * from './target';
export * from './unavailable';
export * from './read-cache';
