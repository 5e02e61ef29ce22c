import { servicePrefixes } from '@forum/contracts';
import { openApiDocument } from '@forum/http';
import { sessionsOperations } from './sessions/sessions.openapi';
import { usersOperations } from './users/users.openapi';

/** The users service's contract, served at /api/users/openapi.json and committed as apps/users/openapi.json. */
export const usersOpenApi = () =>
  openApiDocument({
    service: 'users',
    prefix: servicePrefixes.users,
    description: 'Accounts of the forum and sign-in (access tokens for the other services).',
    operations: [...sessionsOperations, ...usersOperations],
  });
