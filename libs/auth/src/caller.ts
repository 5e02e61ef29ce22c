import { AppError } from '@forum/errors';
import { authenticationRequired, type TokenVerifier } from './tokens';

/** What the helpers need of a request: its headers (a Koa context fits). */
export interface RequestHeaders {
  get(field: string): string;
}

const BEARER = /^Bearer +([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+) *$/i;

/**
 * `caller(ctx)` is the id of the signed-in user making the request, from its
 * `Authorization: Bearer` token; 401 when there is none or it is not valid. Routes that
 * anyone may call simply do not ask.
 */
export function callerOf(verifier: TokenVerifier) {
  return async (request: RequestHeaders): Promise<number> => {
    const header = request.get('Authorization');
    if (!header) throw authenticationRequired('Sign in first: send "Authorization: Bearer <token>" from POST /api/users/session');
    const match = BEARER.exec(header);
    if (!match?.[1]) throw authenticationRequired('The Authorization header must be "Bearer <token>"');
    return verifier.verify(match[1]);
  };
}

export type Caller = ReturnType<typeof callerOf>;

/** Only the owner may change or delete a resource; anyone else gets 403 with this detail. */
export function ensureOwner(callerId: number, ownerId: number, detail: string): void {
  if (callerId !== ownerId) throw new AppError('forbidden', detail);
}
