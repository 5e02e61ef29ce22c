import { readBody, type Router } from '@forum/http';
import { signInBody } from './sessions.schema';
import type { SessionsService } from './sessions.service';

export function sessionsRoutes(sessions: SessionsService) {
  return (router: Router): void => {
    // Sign-in: creates a session, that is an access token (POST /api/users/session).
    router.post('/session', async (ctx) => {
      ctx.body = await sessions.signIn(await readBody(ctx, signInBody), ctx.ip);
      ctx.set('Cache-Control', 'no-store');
    });
  };
}
