import { Writable } from 'node:stream';
import pino from 'pino';
import request from 'supertest';
import { z } from 'zod';
import { bodySchema, textField } from '@forum/contracts';
import { AppError, problemTypeUri, type ProblemCode } from '@forum/errors';
import { readBody, readQuery } from './body';
import { createHttpApp, type HttpAppOptions } from './create-http-app';

function captureLogs() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

function app(overrides: Partial<HttpAppOptions> = {}) {
  const logs = captureLogs();
  const koa = createHttpApp({
    prefix: '/api/things',
    logger: logs.logger,
    bodyLimit: 1024,
    corsOrigins: ['https://forum.example'],
    trustedProxies: ['127.0.0.0/8', '::1'],
    checkReady: async () => undefined,
    routes: (router) => {
      router.post('/', async (ctx) => {
        ctx.status = 201;
        ctx.body = await readBody(ctx, bodySchema({ name: textField(1, 10) }));
      });
      router.get('/boom', () => {
        throw new Error('secret internals at /srv/app.js:12');
      });
      router.get('/log', (ctx) => {
        ctx.log.info('inside the handler');
        ctx.body = { ok: true };
      });
      router.get('/search', (ctx) => {
        ctx.body = readQuery(ctx, z.strictObject({ q: z.string().optional(), limit: z.string().optional() }));
      });
      router.get('/client', (ctx) => {
        ctx.body = { ip: ctx.ip };
      });
      router.get('/busy', () => {
        throw new AppError('service_unavailable', 'Too busy', { retryAfterSeconds: 1 });
      });
      router.get('/expired', () => {
        throw new AppError('unauthorized', 'The access token has expired', { credentialError: 'invalid_token' });
      });
      router.get('/anonymous', () => {
        throw new AppError('unauthorized', 'Sign in first');
      });
      router.get('/items/:name', (ctx) => {
        ctx.body = { name: ctx.params['name'] };
      });
    },
    ...overrides,
  });
  return { server: koa.callback(), logs: logs.lines };
}

/** Sends the bytes as they are (supertest would JSON-encode a Buffer). */
const asIs = (body: unknown) => body as string;

// The URNs themselves are pinned literally once, against the catalog (libs/testing problems.spec).
const problem = (status: number, code: ProblemCode) =>
  expect.objectContaining({ status, code, type: problemTypeUri(code), title: expect.any(String), detail: expect.any(String) });

describe('createHttpApp', () => {
  it('when a valid JSON body is posted, then the handler gets it validated', async () => {
    const res = await request(app().server).post('/api/things').send({ name: 'ok' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ name: 'ok' });
  });

  it('when the JSON is malformed, then 400 malformed_json in problem+json', async () => {
    const res = await request(app().server).post('/api/things').set('Content-Type', 'application/json').send('{"name":');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.body).toEqual(problem(400, 'malformed_json'));
  });

  it('when the body has a __proto__ key, then it is refused as malformed, not merged', async () => {
    const res = await request(app().server)
      .post('/api/things')
      .set('Content-Type', 'application/json')
      .send('{"name":"x","__proto__":{"admin":true}}');
    expect(res.body).toEqual(problem(400, 'malformed_json'));
  });

  it('when a string of the body holds bytes that are not UTF-8, then 400 naming the field, nothing replaced', async () => {
    const bytes = Buffer.concat([Buffer.from('{"name":"a'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
    const res = await request(app().server).post('/api/things').set('Content-Type', 'application/json').serialize(asIs).send(bytes);
    expect(res.body).toEqual(
      expect.objectContaining({
        status: 400,
        code: 'validation_failed',
        errors: [{ field: 'name', code: 'invalid_utf8', message: 'must be valid UTF-8' }],
      }),
    );
    const truncated = Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xe2, 0x82]), Buffer.from('"}')]);
    expect(
      (await request(app().server).post('/api/things').set('Content-Type', 'application/json').serialize(asIs).send(truncated)).body.errors,
    ).toEqual([expect.objectContaining({ field: 'name' })]);
    const encodedReplacement = Buffer.from('{"name":"\uFFFDé"}');
    expect(
      (await request(app().server).post('/api/things').set('Content-Type', 'application/json').serialize(asIs).send(encodedReplacement)).body,
    ).toEqual({ name: '\uFFFDé' });
  });

  it('when a body is neither UTF-8 nor JSON, then 400 saying the body is not UTF-8', async () => {
    const res = await request(app().server)
      .post('/api/things')
      .set('Content-Type', 'application/json')
      .serialize(asIs)
      .send(Buffer.from([0x7b, 0xff, 0xfe]));
    expect(res.body).toEqual(
      expect.objectContaining({
        status: 400,
        code: 'validation_failed',
        errors: [{ field: '(body)', code: 'invalid_utf8', message: 'must be valid UTF-8' }],
      }),
    );
  });

  it('when a query value is percent-encoded bytes that are not UTF-8, then 400 naming the parameter', async () => {
    const res = await request(app().server).get('/api/things/search?q=%FF%FE');
    expect(res.body).toEqual(
      expect.objectContaining({
        status: 400,
        code: 'validation_failed',
        errors: [expect.objectContaining({ field: 'query.q', code: 'invalid_utf8' })],
      }),
    );
    expect((await request(app().server).get('/api/things/search?q=caf%C3%A9+au+lait&limit=2')).body).toEqual({ q: 'café au lait', limit: '2' });
  });

  it('when the query has __proto__ or another unknown parameter, then 400 naming it', async () => {
    for (const name of ['__proto__', 'constructor', 'admin']) {
      const res = await request(app().server).get(`/api/things/search?${name}=x`);
      expect(res.body).toEqual(
        expect.objectContaining({
          status: 400,
          code: 'validation_failed',
          errors: [expect.objectContaining({ field: `query.${name}`, code: 'unknown_field' })],
        }),
      );
    }
  });

  it('when the peer is a trusted proxy, then the client is the last X-Forwarded-For hop no trusted proxy wrote', async () => {
    const ip = async (forwardedFor: string, trustedProxies?: string[]) =>
      (
        await request(app(trustedProxies ? { trustedProxies } : {}).server)
          .get('/api/things/client')
          .set('X-Forwarded-For', forwardedFor)
      ).body.ip;
    expect(await ip('198.51.100.9, 203.0.113.7')).toBe('203.0.113.7');
    expect(await ip('198.51.100.9, 203.0.113.7, 127.0.0.1')).toBe('203.0.113.7');
    expect(await ip('198.51.100.9, 10.0.3.4', ['127.0.0.0/8', '::1', '10.0.0.0/16'])).toBe('198.51.100.9');
  });

  it('when the peer is not a trusted proxy, then X-Forwarded-For is ignored and the peer is the client', async () => {
    const res = await request(app({ trustedProxies: ['10.0.0.0/16'] }).server)
      .get('/api/things/client')
      .set('X-Forwarded-For', '203.0.113.7');
    expect(res.body.ip).toMatch(/^(::ffff:)?127\.0\.0\.1$|^::1$/);
  });

  it('when the body is larger than the limit, then 413', async () => {
    const res = await request(app().server)
      .post('/api/things')
      .send({ name: 'x'.repeat(2000) });
    expect(res.body).toEqual(problem(413, 'payload_too_large'));
  });

  it('when the body is not JSON, then 415', async () => {
    const res = await request(app().server).post('/api/things').set('Content-Type', 'text/plain').send('name=x');
    expect(res.body).toEqual(problem(415, 'unsupported_media_type'));
  });

  it('when the charset or content encoding is unknown, then 415; a body that is not what its encoding says is 400', async () => {
    const charset = await request(app().server).post('/api/things').set('Content-Type', 'application/json; charset=klingon').send('{"name":"x"}');
    expect(charset.body).toEqual(problem(415, 'unsupported_media_type'));
    const encoding = await request(app().server)
      .post('/api/things')
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'br2')
      .send('{"name":"x"}');
    expect(encoding.body).toEqual(problem(415, 'unsupported_media_type'));
    const notGzip = await request(app().server)
      .post('/api/things')
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'gzip')
      .send('{"name":"x"}');
    expect(notGzip.body).toEqual(problem(400, 'bad_request'));
    for (const coding of ['br', 'deflate']) {
      const wrong = await request(app().server)
        .post('/api/things')
        .set('Content-Type', 'application/json')
        .set('Content-Encoding', coding)
        .send('{"name":"x"}');
      expect(wrong.body).toEqual(problem(400, 'bad_request'));
    }
  });

  it('when a large body is refused mid-stream, then the answer says Connection: close, so no client reuses a connection holding unread bytes', async () => {
    const big = JSON.stringify({ name: 'x'.repeat(300000) });
    const res = await request(app().server).post('/api/things').set('Content-Type', 'application/json').set('Content-Encoding', 'gzip').send(big);
    expect(res.body).toEqual(problem(400, 'bad_request'));
    expect(res.headers['connection']).toBe('close');
  });

  it('when a path parameter has broken percent-encoding, then the route gets it as sent, never a 500; a well-formed one arrives decoded', async () => {
    expect((await request(app().server).get('/api/things/items/caf%C3%A9')).body).toEqual({ name: 'café' });
    const res = await request(app().server).get('/api/things/items/%E0%A4%A');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ name: '%E0%A4%A' });
  });

  it('when a browser sends a CORS preflight, then it is answered without reaching a route', async () => {
    const res = await request(app().server)
      .options('/api/things')
      .set('Origin', 'https://forum.example')
      .set('Access-Control-Request-Method', 'POST');
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-methods']).toContain('POST');
  });

  it('when the body is a JSON array or scalar, then 400', async () => {
    for (const body of ['[1]', '"x"', 'null']) {
      const res = await request(app().server).post('/api/things').set('Content-Type', 'application/json').send(body);
      expect(res.status).toBe(400);
    }
  });

  it('when no route matches, then 404 route_not_found', async () => {
    const res = await request(app().server).get('/api/things/nope/deeper');
    expect(res.body).toEqual(problem(404, 'route_not_found'));
  });

  it('when the method is wrong, then 405 with Allow', async () => {
    const res = await request(app().server).delete('/api/things');
    expect(res.status).toBe(405);
    expect(res.headers['allow']).toBe('POST');
    expect(res.body).toEqual(problem(405, 'method_not_allowed'));
  });

  it('when the method is one no route knows (TRACE, PROPFIND), then 405 problem+json with the security headers, logged below error level', async () => {
    const { server, logs } = app();
    for (const method of ['TRACE', 'PROPFIND']) {
      const res = await request(server)[method === 'TRACE' ? 'trace' : 'propfind']('/api/things');
      expect(res.status).toBe(405);
      expect(res.headers['content-type']).toBe('application/problem+json');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['allow']).toContain('POST');
    }
    expect(logs.filter((l) => l['level'] !== 30)).toEqual([]);
    expect(JSON.stringify(logs)).not.toContain('stack');
  });

  it('when a 5xx is one we wrote (overload), then it is logged as a warning without a stack, so clients cannot flood the error log', async () => {
    const { server, logs } = app();
    const res = await request(server).get('/api/things/busy');
    expect(res.body).toEqual(problem(503, 'service_unavailable'));
    expect(logs.map((l) => l['level'])).toEqual([40, 40]);
    expect(JSON.stringify(logs)).not.toContain('stack');
  });

  it('when domain code refuses a caller or asks for a retry, then the edge writes the RFC 6750 challenge and Retry-After', async () => {
    const { server } = app();
    const expired = await request(server).get('/api/things/expired');
    expect(expired.status).toBe(401);
    expect(expired.headers['www-authenticate']).toBe('Bearer realm="forum", error="invalid_token", error_description="The access token has expired"');
    expect((await request(server).get('/api/things/anonymous')).headers['www-authenticate']).toBe('Bearer realm="forum"');
    const busy = await request(server).get('/api/things/busy');
    expect(busy.headers['retry-after']).toBe('1');
    expect(busy.headers['www-authenticate']).toBeUndefined();
  });

  it('when a URL carries a token or password in its query, then the access log shows the parameter but not its value', async () => {
    const { server, logs } = app();
    const jwt = 'eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl';
    await request(server).get(`/api/things/log?access_token=${jwt}&password=hunter22&API_KEY=k3y&limit=2`).expect(200);
    const text = JSON.stringify(logs);
    expect(text).not.toContain(jwt);
    expect(text).not.toContain('hunter22');
    expect(text).not.toContain('k3y');
    const completed = logs.find((l) => l['msg'] === 'request completed') as { url: string };
    expect(completed.url).toBe('/api/things/log?access_token=[REDACTED]&password=[REDACTED]&API_KEY=[REDACTED]&limit=2');
  });

  it('when a handler throws, then 500 without its message or stack, and the log has the error', async () => {
    const { server, logs } = app();
    const res = await request(server).get('/api/things/boom');
    expect(res.body).toEqual(problem(500, 'internal_error'));
    expect(JSON.stringify(res.body)).not.toMatch(/secret|srv|at /);
    expect(logs.some((l) => (l['err'] as { message?: string } | undefined)?.message?.includes('secret internals'))).toBe(true);
  });

  it('when a request carries X-Request-Id, then it is echoed and on every log line of the request', async () => {
    const { server, logs } = app();
    const res = await request(server).get('/api/things/log').set('X-Request-Id', 'abc-123');
    expect(res.headers['x-request-id']).toBe('abc-123');
    const lines = logs.filter((l) => l['requestId'] === 'abc-123');
    expect(lines.map((l) => l['msg'])).toEqual(['inside the handler', 'request completed']);
  });

  it('when a request is served, then its access line is one flat line: request id, method, URL, status and time, no headers', async () => {
    const { server, logs } = app();
    await request(server).get('/api/things/log?limit=2').set('X-Request-Id', 'flat-1').set('Authorization', 'Bearer secret-token').expect(200);
    const completed = logs.find((l) => l['msg'] === 'request completed');
    expect(completed).toEqual({
      level: 30,
      time: expect.any(Number),
      pid: process.pid,
      hostname: expect.any(String),
      requestId: 'flat-1',
      method: 'GET',
      url: '/api/things/log?limit=2',
      statusCode: 200,
      responseTime: expect.any(Number),
      msg: 'request completed',
    });
    expect(JSON.stringify(logs)).not.toContain('secret-token');
  });

  it('when only the ALB trace id is there, then it becomes the request id; a hostile id is replaced', async () => {
    const trace = 'Root=1-67891233-abcdef012345678912345678';
    const res = await request(app().server).get('/api/things/log').set('X-Amzn-Trace-Id', trace);
    expect(res.headers['x-request-id']).toBe(trace);
    const hostile = await request(app().server).get('/api/things/log').set('X-Request-Id', '<script>"x"');
    expect(hostile.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('when an error response is sent, then it also has the request id', async () => {
    const res = await request(app().server).get('/api/things/missing').set('X-Request-Id', 'r-1');
    expect(res.body.requestId).toBe('r-1');
    expect(res.body.instance).toBe('/api/things/missing');
  });

  it('when health is asked, then 200 without touching the database', async () => {
    const checkReady = jest.fn(async () => undefined);
    const res = await request(app({ checkReady }).server).get('/api/things/health');
    expect(res.status).toBe(200);
    expect(checkReady).not.toHaveBeenCalled();
  });

  it('when the database check fails or hangs, then readiness is 503 within about a second', async () => {
    const failing = await request(app({ checkReady: () => Promise.reject(new Error('down')) }).server).get('/api/things/ready');
    expect(failing.body).toEqual(problem(503, 'service_unavailable'));
    const started = Date.now();
    const hanging = await request(app({ checkReady: () => new Promise(() => undefined) }).server).get('/api/things/ready');
    expect(hanging.status).toBe(503);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('when any response is sent, errors included, then it carries the security headers and no X-Powered-By', async () => {
    for (const path of ['/api/things/health', '/api/things/missing', '/api/things/boom']) {
      const res = await request(app().server).get(path);
      expect(res.headers).toMatchObject({
        'x-content-type-options': 'nosniff',
        'content-security-policy': "default-src 'none';frame-ancestors 'none'",
        'strict-transport-security': expect.stringContaining('max-age='),
        'x-frame-options': 'SAMEORIGIN',
        'referrer-policy': 'no-referrer',
      });
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
  });

  it('when an allowed origin calls, then CORS headers are set; others get none', async () => {
    const allowed = await request(app().server).get('/api/things/health').set('Origin', 'https://forum.example');
    expect(allowed.headers['access-control-allow-origin']).toBe('https://forum.example');
    expect(allowed.headers['access-control-expose-headers']).toContain('X-Request-Id');
    const other = await request(app().server).get('/api/things/health').set('Origin', 'https://evil.example');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    const none = await request(app({ corsOrigins: [] }).server)
      .get('/api/things/health')
      .set('Origin', 'https://forum.example');
    expect(none.headers['access-control-allow-origin']).toBeUndefined();
  });
});
