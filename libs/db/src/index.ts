export * from './columns';
export * from './open-database';
export * from './target';
export * from './unavailable';
