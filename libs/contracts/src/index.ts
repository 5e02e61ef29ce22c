export * from './pagination';
export * from './resources';
export * from './validation';
export * from './resource-schemas';
