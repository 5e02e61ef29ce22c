import type Router from '@koa/router';

/** `GET <prefix>/openapi.json`: the document is generated on first request, then kept as bytes. */
export function serveDocument(router: Router, document: () => object): void {
  let json: string | undefined;
  router.get('/openapi.json', (ctx) => {
    json ??= JSON.stringify(document());
    ctx.type = 'application/json';
    ctx.set('Cache-Control', 'no-cache');
    ctx.body = json;
  });
}
