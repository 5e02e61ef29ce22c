import { pageQuerySchema, pageSchema, postSchema, servicePrefixes } from '@forum/contracts';
import type { OperationSpec } from '@forum/http';
import { createPostBody, updatePostBody } from './posts.schema';

const at = servicePrefixes.posts;
const id = { id: 'The post id' };
const tags = ['posts'];
const page = pageSchema(postSchema, 'Post');
// Creating a post asks threads and users, and bumps the thread's activity.
const UPSTREAM = ['upstream_error', 'upstream_unavailable', 'upstream_timeout'] as const;

/** The routes of posts.routes.ts, described for the OpenAPI document. */
export const postsOperations: OperationSpec[] = [
  {
    method: 'post',
    path: at,
    summary: 'Post in a thread as the signed-in user',
    tags,
    signedIn: true,
    body: createPostBody,
    success: [{ status: 201, description: 'Created', schema: postSchema, headers: ['Location'] }],
    problems: ['unknown_reference', ...UPSTREAM],
  },
  {
    method: 'get',
    path: `${at}/in-thread/{threadId}`,
    summary: 'List the posts of a thread, oldest first',
    tags,
    ids: { threadId: 'The thread id' },
    query: pageQuerySchema,
    success: [{ status: 200, description: 'A page of posts', schema: page }],
  },
  {
    method: 'get',
    path: `${at}/by-user/{userId}`,
    summary: 'List the posts of a user, newest first',
    tags,
    ids: { userId: 'The user id' },
    query: pageQuerySchema,
    success: [{ status: 200, description: 'A page of posts', schema: page }],
  },
  {
    method: 'get',
    path: `${at}/{id}`,
    summary: 'Get a post',
    tags,
    ids: id,
    success: [
      { status: 200, description: 'The post', schema: postSchema, headers: ['ETag', 'Cache-Control'] },
      { status: 304, description: 'Not modified since the ETag given in If-None-Match', headers: ['ETag', 'Cache-Control'] },
    ],
  },
  {
    method: 'patch',
    path: `${at}/{id}`,
    summary: 'Change the text of your own post',
    tags,
    signedIn: true,
    ids: id,
    body: updatePostBody,
    success: [{ status: 200, description: 'The changed post', schema: postSchema }],
    problems: ['forbidden'],
  },
  {
    method: 'delete',
    path: `${at}/{id}`,
    summary: 'Delete your own post',
    tags,
    signedIn: true,
    ids: id,
    success: [{ status: 204, description: 'Deleted' }],
    problems: ['forbidden'],
  },
];
