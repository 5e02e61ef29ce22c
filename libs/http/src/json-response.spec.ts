import Koa from 'koa';
import request from 'supertest';
import { respondWithJson, respondWithResource } from './json-response';

// Rows of a page, with characters of two, three and four UTF-8 bytes: the length sent must be in bytes.
const rows = (count: number) => Array.from({ length: count }, (_, id) => ({ id, text: `Größe ${id} – ✓ 🧵 ${'x'.repeat(40)}` }));

function serve(answer: (ctx: Koa.Context) => void) {
  const app = new Koa();
  app.use((ctx) => answer(ctx));
  return request(app.callback());
}

describe('JSON answers', () => {
  it.each([
    ['a row (text)', { id: 1, text: 'Größe ✓ 🧵' }],
    ['a page made for the request (bytes)', { items: rows(40), nextCursor: null }],
    ['a kept page (bytes kept with it)', Object.freeze({ items: rows(40), nextCursor: 'abc' })],
  ])('when %s is sent, then it is exactly its JSON, typed and measured in bytes', async (_, value) => {
    const res = await serve((ctx) => respondWithJson(ctx, value)).get('/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.text).toBe(JSON.stringify(value));
    expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(JSON.stringify(value)));
  });

  it('when a kept page is sent again, then the same bytes go out, and a kept resource keeps its ETag', async () => {
    const page = Object.freeze({ items: rows(40), nextCursor: null });
    const app = serve((ctx) => (ctx.path === '/page' ? respondWithJson(ctx, page) : respondWithResource(ctx, page)));
    const [first, second] = [await app.get('/page'), await app.get('/page')];
    expect(second.text).toBe(first.text);
    const resource = await app.get('/resource');
    expect(resource.text).toBe(JSON.stringify(page));
    expect((await app.get('/resource').set('If-None-Match', resource.headers['etag'] ?? '')).status).toBe(304);
  });
});
