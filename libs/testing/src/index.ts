export * from '@forum/db/testing';
export * from './test-database';
export * from './logger';
export * from './problems';
export * from './stub-service';
export * from './tokens';
export * from './fuzz';
