import { randomBytes } from 'node:crypto';
import { defineCommand } from '../core/command';

export interface SmokeCheck {
  name: string;
  ok: boolean;
  detail: string;
}

type Call = (method: string, path: string, body?: unknown, authorization?: string) => Promise<{ status: number; json: unknown }>;

const TIMEOUT_MS = 5000;

/**
 * The smoke stage: against a base URL (the ALB, or localhost:8080), each service's health, a
 * read, and a write that is cleaned up again. Every request is bounded in time.
 */
export async function smoke(baseUrl: string): Promise<SmokeCheck[]> {
  const call: Call = async (method, path, body, authorization) => {
    const res = await fetch(`${baseUrl.replace(/\/+$/, '')}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(authorization ? { authorization } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const text = await res.text();
    return { status: res.status, json: text ? safeJson(text) : undefined };
  };
  const checks: SmokeCheck[] = [];
  const check = async (name: string, run: () => Promise<string>) => {
    try {
      checks.push({ name, ok: true, detail: await run() });
    } catch (error) {
      checks.push({ name, ok: false, detail: (error as Error).message });
    }
  };
  const expectStatus = async (method: string, path: string, status: number, body?: unknown, authorization?: string) => {
    const res = await call(method, path, body, authorization);
    if (res.status !== status) throw new Error(`${method} ${path} answered ${res.status}, expected ${status}`);
    return res.json as Record<string, unknown>;
  };

  for (const service of ['users', 'threads', 'posts']) {
    await check(`${service} health`, async () => {
      await expectStatus('GET', `/api/${service}/health`, 200);
      return `GET /api/${service}/health 200`;
    });
  }
  await check(
    'users read',
    async () => `${((await expectStatus('GET', '/api/users?limit=5', 200))['items'] as unknown[]).length} users on the first page`,
  );
  await check(
    'threads read',
    async () => `${((await expectStatus('GET', '/api/threads?limit=5', 200))['items'] as unknown[]).length} threads on the first page`,
  );

  // A throwaway account signs in and writes once per service, in dependency order; all of it is
  // removed again in reverse order, by that account.
  const name = `smoke-${Date.now().toString(36)}`;
  const password = randomBytes(18).toString('base64url');
  const created: string[] = [];
  let token: string | undefined;
  await check('sign in, write and clean up', async () => {
    try {
      const user = await expectStatus('POST', '/api/users', 201, { username: name, displayName: 'Smoke test', password });
      created.push(`/api/users/${user['id']}`);
      const session = await expectStatus('POST', '/api/users/session', 200, { username: name, password });
      token = `Bearer ${String(session['accessToken'])}`;
      const thread = await expectStatus('POST', '/api/threads', 201, { title: 'Smoke test' }, token);
      created.push(`/api/threads/${thread['id']}`);
      const post = await expectStatus('POST', '/api/posts', 201, { threadId: thread['id'], text: 'Smoke test' }, token);
      created.push(`/api/posts/${post['id']}`);
      const inThread = await expectStatus('GET', `/api/posts/in-thread/${thread['id']}`, 200);
      if ((inThread['items'] as unknown[]).length !== 1) throw new Error('the new post is not in its thread');
      return 'user signed in; thread and post created, read back and deleted';
    } finally {
      for (const path of created.reverse()) await expectStatus('DELETE', path, 204, undefined, token);
    }
  });
  return checks;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export const smokeCommand = defineCommand({
  name: 'smoke',
  summary: 'HTTP checks of every service against a base URL (the ALB or localhost:8080)',
  positional: { name: 'base-url', doc: "e.g. http://localhost:8080 or the ALB's URL", required: true },
  options: {},
  run: async (_values, baseUrl) => {
    const checks = await smoke(baseUrl ?? '');
    for (const c of checks) process.stdout.write(`${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.detail}\n`);
    const failed = checks.filter((c) => !c.ok).length;
    process.stdout.write(`smoke ${baseUrl}: ${checks.length - failed} passed, ${failed} failed\n`);
    if (failed > 0) process.exitCode = 1;
  },
});
