import type { Caller } from '@forum/auth';
import { pageQuerySchema, servicePrefixes } from '@forum/contracts';
import { pathId, readBody, readQuery, respondWithJson, respondWithResource, type Router } from '@forum/http';
import { createUserBody, updateUserBody } from './users.schema';
import type { UsersService } from './users.service';

export function usersRoutes(users: UsersService, caller: Caller) {
  return (router: Router): void => {
    // Registration is open; reads are open; a user may change or delete only themself.
    router.post('/', async (ctx) => {
      const user = await users.create(await readBody(ctx, createUserBody), ctx.ip);
      ctx.status = 201;
      ctx.set('Location', `${servicePrefixes.users}/${user.id}`);
      ctx.body = user;
    });

    router.get('/', async (ctx) => {
      respondWithJson(ctx, await users.list(readQuery(ctx, pageQuerySchema)));
    });

    router.get('/:id', async (ctx) => {
      respondWithResource(ctx, await users.get(pathId(ctx, 'User')));
    });

    router.patch('/:id', async (ctx) => {
      const callerId = await caller(ctx);
      const id = pathId(ctx, 'User');
      ctx.body = await users.update(callerId, id, await readBody(ctx, updateUserBody), ctx.ip);
    });

    router.delete('/:id', async (ctx) => {
      const callerId = await caller(ctx);
      await users.remove(callerId, pathId(ctx, 'User'));
      ctx.status = 204;
    });
  };
}
