export * from './forum-clients';
export * from './service-client';
