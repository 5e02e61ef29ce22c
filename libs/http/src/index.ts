export type { default as Router } from '@koa/router';
export * from './body';
export * from './create-http-app';
export * from './logger';
export * from './request-id';
export * from './serve';
export * from './run-service';
export * from './json-response';
