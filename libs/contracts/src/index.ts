export * from './pagination';
export * from './resources';
export * from './validation';
