import type { Caller } from '@forum/auth';
import { pageQuerySchema, servicePrefixes, type ThreadsBumped } from '@forum/contracts';
import { notFound } from '@forum/errors';
import { pathId, readBody, readQuery, respondWithJson, respondWithResource, type Router } from '@forum/http';
import { bumpThreadsBody, createThreadBody, updateThreadBody } from './threads.schema';
import type { ThreadsService } from './threads.service';

export function threadsRoutes(threads: ThreadsService, caller: Caller) {
  return (router: Router): void => {
    // Reads are open; writing needs a signed-in caller, and changing a thread needs its author.
    router.post('/', async (ctx) => {
      const callerId = await caller(ctx);
      const thread = await threads.create(callerId, await readBody(ctx, createThreadBody));
      ctx.status = 201;
      ctx.set('Location', `${servicePrefixes.threads}/${thread.id}`);
      ctx.body = thread;
    });

    router.get('/', async (ctx) => {
      respondWithJson(ctx, await threads.list(readQuery(ctx, pageQuerySchema)));
    });

    router.get('/:id', async (ctx) => {
      respondWithResource(ctx, await threads.get(pathId(ctx, 'Thread')));
    });

    router.patch('/:id', async (ctx) => {
      const callerId = await caller(ctx);
      const id = pathId(ctx, 'Thread');
      ctx.body = await threads.update(callerId, id, await readBody(ctx, updateThreadBody));
    });

    router.delete('/:id', async (ctx) => {
      const callerId = await caller(ctx);
      await threads.remove(callerId, pathId(ctx, 'Thread'));
      ctx.status = 204;
    });
  };
}

/** For the posts service only: mounted under `internalPrefixes.threads`, which the ALB never routes. */
export function threadsInternalRoutes(threads: ThreadsService, caller: Caller) {
  return (router: Router): void => {
    // New posts bump their threads, with the token of a user who posted (still authenticated).
    router.post('/activity', async (ctx) => {
      await caller(ctx);
      const { ids } = await readBody(ctx, bumpThreadsBody);
      ctx.body = { missing: await threads.touch(ids) } satisfies ThreadsBumped;
    });

    // One thread: what posts tasks of the previous release call during a rolling deploy.
    router.post('/:id/activity', async (ctx) => {
      await caller(ctx);
      const id = pathId(ctx, 'Thread');
      if ((await threads.touch([id])).length > 0) throw notFound('Thread', id);
      ctx.status = 204;
    });
  };
}
