import { servicePrefixes } from '@forum/contracts';
import { openApiDocument } from '@forum/http';
import { postsOperations } from './posts/posts.openapi';

/** The posts service's contract, served at /api/posts/openapi.json and committed as apps/posts/openapi.json. */
export const postsOpenApi = () =>
  openApiDocument({
    service: 'posts',
    prefix: servicePrefixes.posts,
    description: 'Posts in the threads of the forum.',
    operations: postsOperations,
  });
