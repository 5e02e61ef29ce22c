import { pageQuerySchema, pageSchema, servicePrefixes, threadSchema } from '@forum/contracts';
import type { OperationSpec } from '@forum/http';
import { createThreadBody, updateThreadBody } from './threads.schema';

const at = servicePrefixes.threads;
const id = { id: 'The thread id' };
const tags = ['threads'];
// Creating a thread asks the users service whether the author exists.
const UPSTREAM = ['upstream_error', 'upstream_unavailable', 'upstream_timeout'] as const;

/** The public routes of threads.routes.ts, described for the OpenAPI document (the internal ones are not public). */
export const threadsOperations: OperationSpec[] = [
  {
    method: 'post',
    path: at,
    summary: 'Start a thread as the signed-in user',
    tags,
    signedIn: true,
    body: createThreadBody,
    success: [{ status: 201, description: 'Created', schema: threadSchema, headers: ['Location'] }],
    problems: ['unknown_reference', ...UPSTREAM],
  },
  {
    method: 'get',
    path: at,
    summary: 'List threads, most recent activity first',
    tags,
    query: pageQuerySchema,
    success: [{ status: 200, description: 'A page of threads', schema: pageSchema(threadSchema, 'Thread') }],
  },
  {
    method: 'get',
    path: `${at}/{id}`,
    summary: 'Get a thread',
    tags,
    ids: id,
    success: [
      { status: 200, description: 'The thread', schema: threadSchema, headers: ['ETag', 'Cache-Control'] },
      { status: 304, description: 'Not modified since the ETag given in If-None-Match', headers: ['ETag', 'Cache-Control'] },
    ],
  },
  {
    method: 'patch',
    path: `${at}/{id}`,
    summary: 'Change the title of your own thread',
    tags,
    signedIn: true,
    ids: id,
    body: updateThreadBody,
    success: [{ status: 200, description: 'The changed thread', schema: threadSchema }],
    problems: ['forbidden'],
  },
  {
    method: 'delete',
    path: `${at}/{id}`,
    summary: 'Delete your own thread',
    tags,
    signedIn: true,
    ids: id,
    success: [{ status: 204, description: 'Deleted' }],
    problems: ['forbidden'],
  },
];
