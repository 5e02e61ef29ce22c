import type { Caller } from '@forum/auth';
import { pageQuerySchema, servicePrefixes } from '@forum/contracts';
import { pathId, readBody, readQuery, respondWithJson, respondWithResource, type Router } from '@forum/http';
import { createPostBody, updatePostBody } from './posts.schema';
import type { PostsService } from './posts.service';

export function postsRoutes(posts: PostsService, caller: Caller) {
  return (router: Router): void => {
    // Reads are open; writing needs a signed-in caller, and changing a post needs its author.
    router.post('/', async (ctx) => {
      const callerId = await caller(ctx);
      const post = await posts.create(callerId, await readBody(ctx, createPostBody));
      ctx.status = 201;
      ctx.set('Location', `${servicePrefixes.posts}/${post.id}`);
      ctx.body = post;
    });

    // The two list routes of the original sample, now paginated.
    router.get('/in-thread/:threadId', async (ctx) => {
      respondWithJson(ctx, await posts.inThread(pathId(ctx, 'Thread', 'threadId'), readQuery(ctx, pageQuerySchema)));
    });

    router.get('/by-user/:userId', async (ctx) => {
      respondWithJson(ctx, await posts.byAuthor(pathId(ctx, 'User', 'userId'), readQuery(ctx, pageQuerySchema)));
    });

    router.get('/:id', async (ctx) => {
      respondWithResource(ctx, await posts.get(pathId(ctx, 'Post')));
    });

    router.patch('/:id', async (ctx) => {
      const callerId = await caller(ctx);
      const id = pathId(ctx, 'Post');
      ctx.body = await posts.update(callerId, id, await readBody(ctx, updatePostBody));
    });

    router.delete('/:id', async (ctx) => {
      const callerId = await caller(ctx);
      await posts.remove(callerId, pathId(ctx, 'Post'));
      ctx.status = 204;
    });
  };
}
