export * from '@forum/db/testing';
export * from './logger';
export * from './problems';
export * from './stub-service';
export * from './ports';
export * from './wait';
export * from './tokens';
export * from './fuzz';
