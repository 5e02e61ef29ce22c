export * from './tracing';
export * from './start-from-config';
