import { pageQuerySchema, pageSchema, servicePrefixes, userSchema } from '@forum/contracts';
import type { OperationSpec } from '@forum/http';
import { createUserBody, updateUserBody } from './users.schema';

const at = servicePrefixes.users;
const id = { id: 'The user id' };
const tags = ['users'];

/** The routes of users.routes.ts, described for the OpenAPI document. */
export const usersOperations: OperationSpec[] = [
  {
    method: 'post',
    path: at,
    summary: 'Register a user',
    tags,
    body: createUserBody,
    success: [{ status: 201, description: 'Registered', schema: userSchema, headers: ['Location'] }],
    problems: ['conflict', 'too_many_requests'],
  },
  {
    method: 'get',
    path: at,
    summary: 'List users, oldest first',
    tags,
    query: pageQuerySchema,
    success: [{ status: 200, description: 'A page of users', schema: pageSchema(userSchema, 'User') }],
  },
  {
    method: 'get',
    path: `${at}/{id}`,
    summary: 'Get a user',
    tags,
    ids: id,
    success: [
      { status: 200, description: 'The user', schema: userSchema, headers: ['ETag', 'Cache-Control'] },
      { status: 304, description: 'Not modified since the ETag given in If-None-Match', headers: ['ETag', 'Cache-Control'] },
    ],
  },
  {
    method: 'patch',
    path: `${at}/{id}`,
    summary: 'Change your own user (a new password needs the current one)',
    tags,
    signedIn: true,
    ids: id,
    body: updateUserBody,
    success: [{ status: 200, description: 'The changed user', schema: userSchema }],
    problems: ['forbidden', 'conflict', 'too_many_requests'],
  },
  {
    method: 'delete',
    path: `${at}/{id}`,
    summary: 'Delete your own user',
    tags,
    signedIn: true,
    ids: id,
    success: [{ status: 204, description: 'Deleted' }],
    problems: ['forbidden'],
  },
];
