import { execFileSync } from 'node:child_process';
import { startOtlpReceiver, type ReceivedSpan } from './otlp-receiver';
import { startStack, type StartedStack } from './stack';

const engines = process.env['DATABASE_URL'] ? (['sqlite', 'postgres'] as const) : (['sqlite'] as const);
const SERVER = 2;

/** A database of its own on the test server, so the three services' schemas collide with nobody's. */
function freshPostgres(): { url: string; drop: () => void } {
  const admin = process.env['DATABASE_URL'] ?? '';
  const name = `forum_traces_${process.pid}`;
  const psql = (sql: string) => execFileSync('psql', [admin, '-qc', sql], { env: { ...process.env, PGOPTIONS: '-c client_min_messages=warning' } });
  psql(`drop database if exists ${name} with (force)`);
  psql(`create database ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => psql(`drop database if exists ${name} with (force)`) };
}

describe.each(engines)('traces across the services on %s', (engine) => {
  let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
  let stack: StartedStack;
  let database: ReturnType<typeof freshPostgres> | undefined;
  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    database = engine === 'postgres' ? freshPostgres() : undefined;
    stack = await startStack({
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_BSP_SCHEDULE_DELAY: '100',
      ...(database ? { DATABASE_URL: database.url } : {}),
    });
  });
  afterAll(async () => {
    await stack?.stop();
    await receiver?.close();
    database?.drop();
  });

  it('when one POST /api/posts goes through the ALB, then one trace holds posts, threads and users spans, each callee under a posts client span', async () => {
    const session = await fetch(`${stack.baseUrl}/api/users/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'finn', password: 'forum-demo-password' }),
    });
    const { accessToken } = (await session.json()) as { accessToken: string };
    const res = await fetch(`${stack.baseUrl}/api/posts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}`, 'x-request-id': `trace-${engine}` },
      body: JSON.stringify({ threadId: 1, text: 'Traced through three services' }),
    });
    expect(res.status).toBe(201);

    const root = async () => receiver.spans.find((s) => s.service === 'posts' && s.kind === SERVER && s.name.startsWith('POST') && !s.parentSpanId);
    const deadline = Date.now() + 15000;
    let trace: ReceivedSpan[] = [];
    while (Date.now() < deadline) {
      const first = await root();
      trace = first ? receiver.spans.filter((s) => s.traceId === first.traceId) : [];
      // Three calls: the thread, the author, and the bump (which leaves after the answer); each
      // with the posts client span it came from (exported separately, and maybe later).
      const spanIds = new Set(trace.map((s) => s.spanId));
      const called = trace.filter((s) => s.kind === SERVER && s.service !== 'posts');
      if (called.length >= 3 && called.every((s) => s.parentSpanId !== undefined && spanIds.has(s.parentSpanId))) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const byId = new Map(trace.map((s) => [s.spanId, s]));
    const parentOf = (s: ReceivedSpan) => (s.parentSpanId ? byId.get(s.parentSpanId) : undefined);
    const callees = trace.filter((s) => s.kind === SERVER && s.service !== 'posts');
    expect(new Set(trace.map((s) => s.service))).toEqual(new Set(['posts', 'threads', 'users']));
    // posts asks threads for the thread, users for the author, then bumps the thread's activity.
    expect(callees.map((s) => `${s.service} ${s.name} <- ${parentOf(s)?.service} ${parentOf(s)?.name}`).sort()).toEqual([
      'threads GET /api/threads/:id <- posts GET threads',
      'threads POST /internal/threads/activity <- posts POST threads',
      'users GET /api/users/:id <- posts GET users',
    ]);
    // Koa's middleware and router spans are there; on PostgreSQL, the queries too.
    expect(trace.some((s) => s.service === 'posts' && s.name === 'router - /api/posts')).toBe(true);
    if (engine === 'postgres')
      expect(trace.filter((s) => s.name.startsWith('pg.query')).map((s) => s.service)).toEqual(expect.arrayContaining(['posts', 'threads', 'users']));
    process.stdout.write(`traces (${engine}): ${trace.length} spans: ${[...new Set(trace.map((s) => `${s.service}:${s.name}`))].join(', ')}\n`);
    // Each client span of posts lies under the posts server span of the request.
    const top = trace.find((s) => s.service === 'posts' && s.kind === SERVER && !s.parentSpanId);
    for (const callee of callees) {
      let at: ReceivedSpan | undefined = parentOf(callee);
      while (at && at !== top) at = parentOf(at);
      expect(at).toBe(top);
    }
    // The trace id is on the log lines of this request (written in batches, so wait for them).
    const lines = () =>
      stack
        .output()
        .split('\n')
        .filter((l) => l.includes(`"requestId":"trace-${engine}"`));
    const logged = Date.now() + 5000;
    while (Date.now() < logged && new Set(lines().map((l) => JSON.parse(l).service)).size < 3) await new Promise((r) => setTimeout(r, 100));
    expect(
      lines()
        .map((l) => `${JSON.parse(l).service} ${JSON.parse(l).traceId}`)
        .sort(),
    ).toEqual(expect.arrayContaining([`posts ${top?.traceId}`, `threads ${top?.traceId}`, `users ${top?.traceId}`]));
  });
});
