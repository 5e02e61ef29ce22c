import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLocalAlb } from './local-alb';

describe('local ALB documentation page', () => {
  let alb: Server;
  let base: string;
  beforeEach(async () => {
    const docs = ['users', 'threads', 'posts'].map((name) => ({ name, documentUrl: `/api/${name}/openapi.json` }));
    alb = createLocalAlb({ routes: [], docs });
    await new Promise<void>((resolve) => alb.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(alb.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    alb.closeAllConnections();
    await new Promise((resolve) => alb.close(resolve));
  });

  it('when /docs is fetched, then Swagger UI is served from this origin with a CSP that allows only its own scripts', async () => {
    const res = await fetch(`${base}/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await res.text();
    expect(html).toContain('<script src="/docs/swagger-ui-bundle.js"></script>');
    expect(html).not.toMatch(/https?:\/\//);
    const bundle = await fetch(`${base}/docs/swagger-ui-bundle.js`);
    expect(bundle.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await bundle.text()).length).toBeGreaterThan(100000);
  });

  it('when the page starts, then it lists the three documents under the API prefixes and asks no validator online', async () => {
    const init = await (await fetch(`${base}/docs/init.js`)).text();
    expect(init).toContain(
      'urls: [{"name":"users","url":"/api/users/openapi.json"},{"name":"threads","url":"/api/threads/openapi.json"},{"name":"posts","url":"/api/posts/openapi.json"}]',
    );
    expect(init).toContain('validatorUrl: null');
  });

  it('when a file under /docs does not exist or the method is not GET, then 404 or 405 problem+json', async () => {
    const missing = await fetch(`${base}/docs/../package.json`);
    expect(missing.status).toBe(404);
    const absent = await fetch(`${base}/docs/index.js`);
    expect([absent.status, absent.headers.get('content-type')]).toEqual([404, 'application/problem+json']);
    expect(await absent.json()).toMatchObject({ status: 404, code: 'route_not_found' });
    const posted = await fetch(`${base}/docs`, { method: 'POST' });
    expect([posted.status, ((await posted.json()) as { code: string }).code]).toEqual([405, 'method_not_allowed']);
  });

  it('when a path is neither the docs nor a service, then the ALB still answers 404 problem+json', async () => {
    const res = await fetch(`${base}/docsx`);
    expect([res.status, res.headers.get('content-type')]).toEqual([404, 'application/problem+json']);
  });
});
