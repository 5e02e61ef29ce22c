import { servicePrefixes } from '@forum/contracts';
import { openApiDocument } from '@forum/http';
import { threadsOperations } from './threads/threads.openapi';

/** The threads service's contract, served at /api/threads/openapi.json and committed as apps/threads/openapi.json. */
export const threadsOpenApi = () =>
  openApiDocument({
    service: 'threads',
    prefix: servicePrefixes.threads,
    description: 'Threads of the forum: a title, an author, and when something last happened in it.',
    operations: threadsOperations,
  });
