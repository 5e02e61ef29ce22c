import { z } from 'zod';
import { servicePrefixes } from '@forum/contracts';
import type { OperationSpec } from '@forum/http';
import { signInBody } from './sessions.schema';

const session = z
  .strictObject({
    accessToken: z.string().meta({ description: 'Send as `Authorization: Bearer <accessToken>`.' }),
    tokenType: z.literal('Bearer'),
    expiresIn: z.number().int().positive().meta({ description: 'Seconds until the token expires.' }),
    userId: z.number().int().positive(),
  })
  .meta({ id: 'Session' });

/** The route of sessions.routes.ts, described for the OpenAPI document. */
export const sessionsOperations: OperationSpec[] = [
  {
    method: 'post',
    path: `${servicePrefixes.users}/session`,
    summary: 'Sign in: exchange a username and password for an access token',
    tags: ['sessions'],
    body: signInBody,
    success: [{ status: 200, description: 'Signed in', schema: session, headers: ['Cache-Control'] }],
    problems: ['unauthorized', 'too_many_requests'],
  },
];
