export * from './database';
export * from './logger';
export * from './problems';
export * from './stub-service';
