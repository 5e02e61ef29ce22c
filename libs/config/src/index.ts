export * from './entries';
export * from './load-config';
export * from './service-entries';
export * from './address-ranges';
