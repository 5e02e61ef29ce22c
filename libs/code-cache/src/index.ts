export * from './code-cache';
