import { pageQuerySchema, parseId, servicePrefixes } from '@forum/contracts';
import { readBody, readQuery, requestIdOf, type Router } from '@forum/http';
import { createThreadBody, updateThreadBody } from './threads.schema';
import type { ThreadsService } from './threads.service';

export function threadsRoutes(threads: ThreadsService) {
  return (router: Router): void => {
    router.post('/', async (ctx) => {
      const thread = await threads.create(await readBody(ctx, createThreadBody), { requestId: requestIdOf(ctx) });
      ctx.status = 201;
      ctx.set('Location', `${servicePrefixes.threads}/${thread.id}`);
      ctx.body = thread;
    });

    router.get('/', async (ctx) => {
      ctx.body = await threads.list(readQuery(ctx, pageQuerySchema));
    });

    router.get('/:id', async (ctx) => {
      ctx.body = await threads.get(parseId(ctx.params['id'], 'Thread'));
    });

    router.patch('/:id', async (ctx) => {
      const id = parseId(ctx.params['id'], 'Thread');
      ctx.body = await threads.update(id, await readBody(ctx, updateThreadBody));
    });

    router.delete('/:id', async (ctx) => {
      await threads.remove(parseId(ctx.params['id'], 'Thread'));
      ctx.status = 204;
    });

    // Called by the posts service when a post is written, to keep the list ordered by activity.
    router.post('/:id/activity', async (ctx) => {
      await threads.touch(parseId(ctx.params['id'], 'Thread'));
      ctx.status = 204;
    });
  };
}
