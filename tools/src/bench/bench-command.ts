import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { generateTokenKeys, tokenKeyEnv } from '@forum/auth';
import { servicePrefixes, type ServiceName } from '@forum/contracts';
import { freePort } from '@forum/process';
import { closedLoop, openLoop, type LoadResult, type RequestSpec } from './load';
import { cpuQuota, pin, placement, rssSampler, startProcess, type Started } from './processes';
import { OWNED_POSTS, scaleOf, seed, type Scale } from './seed';

const HELP = `Usage: node dist/tools/main.js bench [options]

Benchmarks the services as they run in production (built bundles, logging on) against a raw
node:http JSON server measured in the same run on the same core, and prints every scenario as
req/s, p50/p99/max latency (ms), errors, server RSS and the ratio to that baseline.

  --engine sqlite|postgres   database of the services (postgres uses DATABASE_URL)   [sqlite]
  --scale <factor>           1 = 100k users, 10k threads, 1M posts                     [0.1]
  --scenario <name>          repeatable; default all: ${'${scenarios}'}
  --duration <s>             seconds per scenario                                       [10]
  --connections <n>          closed-loop clients                                        [50]
  --rate <n>                 open loop: n requests/s on a schedule instead of closed loop
  --quota <percent>          CPU quota of the server (25 = a 0.25 vCPU task; cgroup v1)
  --url <base>               measure a running deployment (the ALB) instead; reads only
  --ids <n>                  with --url: ids 1..n exist                                  [4]
  --node-option <flag>       repeatable; a Node flag for the services (--max-semi-space-size=2)
  --out <file>               JSON results                         [dist/bench/<time>.json]
`;

interface Context {
  scale: Scale;
  token: string;
  random: (n: number) => number;
}

interface Scenario {
  service: ServiceName;
  /** Local runs only (writes, or needs seeded data and a token). */
  localOnly?: boolean;
  next: (c: Context) => RequestSpec;
}

const scenarios: Record<string, Scenario> = {
  'users-by-id': { service: 'users', next: (c) => ({ method: 'GET', path: `/api/users/${c.random(c.scale.users)}` }) },
  'threads-by-id': { service: 'threads', next: (c) => ({ method: 'GET', path: `/api/threads/${c.random(c.scale.threads)}` }) },
  'posts-by-id': { service: 'posts', next: (c) => ({ method: 'GET', path: `/api/posts/${c.random(c.scale.posts)}` }) },
  'threads-page': { service: 'threads', next: () => ({ method: 'GET', path: '/api/threads?limit=20' }) },
  'posts-in-thread': { service: 'posts', next: (c) => ({ method: 'GET', path: `/api/posts/in-thread/${c.random(c.scale.threads)}?limit=20` }) },
  'create-post': {
    service: 'posts',
    localOnly: true,
    next: (c) => ({
      method: 'POST',
      path: '/api/posts',
      headers: { authorization: `Bearer ${c.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ threadId: c.random(c.scale.threads), text: 'A benchmark post, about as long as a short reply on a forum.' }),
    }),
  },
  'update-post': {
    service: 'posts',
    localOnly: true,
    next: (c) => ({
      method: 'PATCH',
      path: `/api/posts/${c.random(Math.min(OWNED_POSTS, c.scale.posts))}`,
      headers: { authorization: `Bearer ${c.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: `Edited by the benchmark at ${Date.now()}` }),
    }),
  },
};

/** The baseline: the least a Node HTTP server can do for a JSON answer. */
const BASELINE_SERVER = `
const body = JSON.stringify({ id: 1, username: 'finn', displayName: 'Finn Alberts', bio: 'Adventurer', createdAt: new Date().toISOString(), updatedAt: new Date().toISOString() });
require('node:http').createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}).listen(Number(process.env.PORT), '127.0.0.1');`;

export type Row = LoadResult & {
  scenario: string;
  service: string;
  /** Peak resident memory of the server during the run. */
  rssMb: number;
  /** req/s over the baseline's req/s of the same run. */
  ratio: number | null;
};

export async function benchCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      engine: { type: 'string', default: 'sqlite' },
      scale: { type: 'string', default: '0.1' },
      scenario: { type: 'string', multiple: true },
      duration: { type: 'string', default: '10' },
      connections: { type: 'string', default: '50' },
      rate: { type: 'string' },
      quota: { type: 'string' },
      url: { type: 'string' },
      ids: { type: 'string', default: '4' },
      out: { type: 'string' },
      'node-option': { type: 'string', multiple: true },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write(HELP.replace('${scenarios}', Object.keys(scenarios).join(', ')));
    return;
  }
  const selected = (values.scenario ?? Object.keys(scenarios).filter((n) => !values.url || !scenarios[n]?.localOnly)).map((name) => {
    const scenario = scenarios[name];
    if (!scenario) throw new Error(`unknown scenario ${name} (scenarios: ${Object.keys(scenarios).join(', ')})`);
    if (values.url && scenario.localOnly) throw new Error(`${name} writes data: only on a local run, not against --url`);
    return [name, scenario] as const;
  });
  const names = selected.map(([name]) => name);
  const durationS = Math.min(Number(values.duration), values.url ? 60 : 600);
  const load = (base: string, next: () => RequestSpec): Promise<LoadResult> =>
    values.rate ? openLoop(base, next, Number(values.rate), durationS) : closedLoop(base, next, Number(values.connections), durationS);
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const random = (n: number) => 1 + Math.floor(Math.random() * n);
  const mode = values.rate ? `open loop at ${values.rate} req/s` : `closed loop, ${values.connections} connections`;

  const rows: Row[] = [];
  const meta: Record<string, unknown> = {
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpus()[0]?.model,
    cores: cpus().length,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    mode,
    durationS,
  };

  if (values.url) {
    say(`bench ${values.url}: ${names.join(', ')}; ${mode}, ${durationS} s each`);
    const context: Context = { scale: { users: Number(values.ids), threads: Number(values.ids), posts: Number(values.ids) }, token: '', random };
    for (const [name, scenario] of selected) {
      say(`  ${name} ...`);
      const result = await load(values.url, () => scenario.next(context));
      rows.push({ scenario: name, service: scenario.service, ...result, rssMb: 0, ratio: null });
    }
    finish(rows, { ...meta, target: values.url }, values.out, say);
    return;
  }

  const root = resolve(__dirname, '..', '..');
  const bundle = (service: string) => join(root, 'dist', 'apps', service, 'main.js');
  for (const service of Object.keys(servicePrefixes)) {
    if (!existsSync(bundle(service))) throw new Error(`${bundle(service)} is not built: npx nx run-many -t build`);
  }
  const engine = values.engine === 'postgres' ? 'postgres' : 'sqlite';
  const databaseUrl = process.env['DATABASE_URL'] ?? '';
  if (engine === 'postgres' && !databaseUrl) throw new Error('--engine postgres needs DATABASE_URL');
  const scale = scaleOf(Number(values.scale));
  const where = placement();
  pin(process.pid, where.loadCore);
  const quota = values.quota ? cpuQuota(Number(values.quota)) : undefined;
  if (quota && 'unavailable' in quota) say(`CPU quota ${values.quota} %: not available here (${quota.unavailable}); measuring without it`);
  const limit = quota && !('unavailable' in quota) ? quota : undefined;
  Object.assign(meta, { engine, scale, placement: where.note, quotaPercent: limit ? Number(values.quota) : null, nodeOptions: values['node-option'] ?? [] });
  say(`bench: ${engine}, ${scale.users} users / ${scale.threads} threads / ${scale.posts} posts; ${mode}, ${durationS} s per scenario; ${where.note}${limit ? `; server CPU quota ${values.quota} %` : ''}`);

  const dataDir = mkdtempSync(join(tmpdir(), 'forum-bench-'));
  // Schemas of this run only: a run killed before it cleaned up does not trouble the next.
  const schemaOf = (service: string) => `bench_${process.pid}_${service}`;
  const started = new Map<string, Started>();
  // Interrupted (Ctrl-C, a CI timeout): the processes it started and the CPU quota go with it.
  const interrupted = () => {
    for (const proc of started.values()) proc.child.kill('SIGKILL');
    limit?.release();
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(130);
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    // 1. The baseline, on the core (and quota) the services get.
    const basePort = await freePort();
    const baseline = await startProcess(['-e', BASELINE_SERVER], { ...process.env, PORT: String(basePort) }, `http://127.0.0.1:${basePort}/`, where.serverCore);
    started.set('baseline', baseline);
    limit?.apply(baseline.pid);
    say('  baseline (node:http JSON) ...');
    const stopRss = rssSampler(baseline.pid);
    const base = await load(`http://127.0.0.1:${basePort}`, () => ({ method: 'GET', path: '/' }));
    rows.push({ scenario: 'baseline', service: 'node:http', ...base, rssMb: stopRss(), ratio: 1 });
    await baseline.stop();
    started.delete('baseline');

    // 2. The services, as in production (logging on), each started and timed to readiness.
    const keys = tokenKeyEnv(generateTokenKeys());
    const ports = Object.fromEntries(await Promise.all(Object.keys(servicePrefixes).map(async (s) => [s, await freePort()]))) as Record<ServiceName, number>;
    const url = (service: ServiceName) => `http://127.0.0.1:${ports[service]}`;
    const startupMs: Record<string, number> = {};
    for (const service of Object.keys(servicePrefixes) as ServiceName[]) {
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        ...keys,
        NODE_ENV: 'production',
        LOG_LEVEL: 'info',
        PORT: String(ports[service]),
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        USERS_URL: url('users'),
        THREADS_URL: url('threads'),
        PASSWORD_HASH_COST: '14',
        LOGIN_ATTEMPTS_PER_CLIENT_PER_MINUTE: '1000',
        ...(engine === 'postgres' ? { DATABASE_URL: databaseUrl, DB_SCHEMA: schemaOf(service) } : { DATABASE_URL: '' }),
      };
      const proc = await startProcess([...(values['node-option'] ?? []), bundle(service)], env, `${url(service)}${servicePrefixes[service]}/ready`, where.loadCore);
      started.set(service, proc);
      startupMs[service] = proc.readyMs;
    }
    meta['startToReadyMs'] = startupMs;
    say(`  start to ready: ${Object.entries(startupMs).map(([s, ms]) => `${s} ${ms} ms`).join(', ')}`);

    // 3. Data: the signed-in account through the API, the bulk straight into the tables.
    const account = { username: 'bench', displayName: 'Benchmark', password: 'benchmark password' };
    const post = (path: string, body: object) =>
      fetch(`${url('users')}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const registered = await post('/api/users', account);
    const signedIn = await post('/api/users/session', { username: account.username, password: account.password });
    if (registered.status !== 201 || signedIn.status !== 200) throw new Error(`could not register and sign in: ${registered.status}, ${signedIn.status} ${await signedIn.text()}`);
    const session = (await signedIn.json()) as { accessToken: string };
    const seeding = performance.now();
    await seed(engine === 'postgres' ? { engine, url: databaseUrl, schemaOf } : { engine, dataDir }, scale);
    say(`  seeded in ${Math.round(performance.now() - seeding)} ms`);

    // 4. Each scenario: the service it measures alone on the server core, the others with the load.
    const context: Context = { scale, token: session.accessToken, random };
    for (const [name, scenario] of selected) {
      for (const [service, proc] of started) pin(proc.pid, service === scenario.service ? where.serverCore : where.loadCore);
      const target = started.get(scenario.service);
      if (!target) throw new Error(`${scenario.service} is not running`);
      limit?.apply(target.pid);
      say(`  ${name} (${scenario.service}) ...`);
      await expectOk(url(scenario.service), scenario.next(context));
      await load(url(scenario.service), () => scenario.next(context)).catch(() => undefined); // warm-up
      const stopRss = rssSampler(target.pid);
      const result = await load(url(scenario.service), () => scenario.next(context));
      rows.push({ scenario: name, service: scenario.service, ...result, rssMb: stopRss(), ratio: Math.round((result.requestsPerSecond / base.requestsPerSecond) * 100) / 100 });
    }
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    await Promise.all([...started.values()].map((p) => p.stop()));
    limit?.release();
    rmSync(dataDir, { recursive: true, force: true });
    if (engine === 'postgres' && databaseUrl) {
      for (const service of Object.keys(servicePrefixes)) execFileSync('psql', [databaseUrl, '-qc', `DROP SCHEMA IF EXISTS ${schemaOf(service)} CASCADE`], { stdio: 'ignore' });
    }
  }
  finish(rows, meta, values.out, say);
}

/** One request of the scenario first: a scenario whose requests fail measures nothing. */
async function expectOk(base: string, spec: RequestSpec): Promise<void> {
  const res = await fetch(`${base}${spec.path}`, { method: spec.method, headers: spec.headers, body: spec.body, signal: AbortSignal.timeout(5000) });
  if (!res.ok) throw new Error(`${spec.method} ${spec.path} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
}

function finish(rows: Row[], meta: Record<string, unknown>, out: string | undefined, say: (line: string) => void): void {
  const header = ['scenario', 'service', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'errors', 'RSS MB', 'ratio'];
  const lines = rows.map((r) => [r.scenario, r.service, r.requestsPerSecond, r.p50, r.p99, r.max, `${r.errors}/${r.total}`, r.rssMb || '-', r.ratio ?? '-'].map(String));
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]?.length ?? 0)));
  const format = (cells: string[]) => `| ${cells.map((c, i) => (i < 2 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(' | ')} |`;
  say('');
  say(format(header));
  say(`|${widths.map((w, i) => (i < 2 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
  for (const line of lines) say(format(line));
  const file = resolve(out ?? join('dist', 'bench', `${new Date().toISOString().replace(/[:.]/g, '-')}.json`));
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ ...meta, results: rows }, null, 2)}\n`);
  say(`\nresults: ${file}`);
}
