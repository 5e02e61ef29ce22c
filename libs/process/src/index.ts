export * from './children';
export * from './ports';
export * from './wait';
