import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';
import { generateTokenKeys, tokenKeyEnv } from '@forum/auth';
import { servicePrefixes, type ServiceName } from '@forum/contracts';
import { freePort } from '@forum/process';
import { ToolError } from '../core/command';
import { allocationSampling } from './allocations';
import type { LoadResult, RequestSpec } from './load';
import { cpuClock, cpuQuota, memoryLimit, pin, placement, rssSampler, startProcess, type Placement, type Started } from './processes';
import type { Row } from './report';
import { BASELINE_SERVER, type Scenario } from './scenarios';
import { scaleOf, seed } from './seed';

export interface LocalBench {
  engine: 'sqlite' | 'postgres';
  scaleFactor: number;
  quotaPercent: number | undefined;
  /** Memory limit of each process in MB (512 = a Fargate task's), or none. */
  memoryMb: number | undefined;
  nodeOptions: string[];
  /** Sample what each scenario's service allocates per request (see allocationSampling). */
  allocations?: boolean;
  /** The checkout whose built services and Dockerfile are measured (this one by default). */
  checkout?: string;
  selected: (readonly [string, Scenario])[];
  load: (base: string, next: () => RequestSpec) => Promise<LoadResult>;
  random: (n: number) => number;
  say: (line: string) => void;
}

const root = resolve(__dirname, '..', '..');

interface ImageRuntime {
  nodeOptions: string[];
  mallocEnv: Record<string, string>;
  compileCache: boolean;
  entry: string;
}

/**
 * How the image runs the services (its Dockerfile), so the bench measures what ships: the V8 flags
 * of NODE_OPTIONS (none: Node's defaults, as an image without them runs), the `malloc` settings of
 * its environment (glibc's, such as MALLOC_MMAP_THRESHOLD_), whether it starts them from a compile
 * cache made at build time, and the file its CMD runs (main.js, the bundle, in an image without a
 * CMD of that form).
 */
export function imageRuntime(dockerfile: string): ImageRuntime {
  // Read by the parser of the Dockerfile linter: what its ENV instructions set (a later value
  // wins), and the last CMD, the one the image runs.
  const parsed = DockerfileParser.parse(dockerfile);
  const env: Record<string, string> = Object.fromEntries(
    parsed
      .getENVs()
      .flatMap((instruction) => instruction.getProperties())
      .map((property) => [property.getName(), property.getValue() ?? '']),
  );
  const [command, file] =
    parsed
      .getCMDs()
      .at(-1)
      ?.getJSONStrings()
      .map((argument) => argument.getJSONValue()) ?? [];
  return {
    nodeOptions: (env['NODE_OPTIONS'] ?? '').split(/\s+/).filter(Boolean),
    mallocEnv: Object.fromEntries(Object.entries(env).filter(([name]) => name.startsWith('MALLOC_'))),
    compileCache: Boolean(env['NODE_COMPILE_CACHE']),
    entry: command === 'node' && file ? file : 'main.js',
  };
}

const warmCompileCache = join(root, 'tools', 'scripts', 'warm-compile-cache.sh');
const sampleAllocations = join(root, 'tools', 'scripts', 'sample-allocations.mjs');
const services = Object.keys(servicePrefixes) as ServiceName[];

/**
 * The built services on this machine, as production runs them, each scenario's service alone on
 * the server core (under the quota when asked), against a node:http baseline on that same core.
 */
export async function benchLocal(options: LocalBench, meta: Record<string, unknown>): Promise<Row[]> {
  const checkout = resolve(options.checkout ?? root);
  // What the image runs the services with, then the run's own flags (the last of a flag wins).
  const dockerfile = join(checkout, 'Dockerfile');
  const image = imageRuntime(existsSync(dockerfile) ? readFileSync(dockerfile, 'utf8') : '');
  const nodeOptions = [...image.nodeOptions, ...options.nodeOptions];
  // The built file the image's CMD runs, per service.
  const entryOf = (service: string) => join(checkout, 'dist', 'apps', service, image.entry);
  for (const service of services)
    if (!existsSync(entryOf(service))) throw new ToolError(`${entryOf(service)} is not built: npx nx run-many -t build`);
  const databaseUrl = process.env['DATABASE_URL'] ?? '';
  if (options.engine === 'postgres' && !databaseUrl) throw new ToolError('--engine postgres needs DATABASE_URL');
  const scale = scaleOf(options.scaleFactor);
  const where = placement();
  pin(process.pid, where.loadCore);
  const quota = options.quotaPercent ? cpuQuota(options.quotaPercent) : undefined;
  if (quota && 'unavailable' in quota)
    options.say(`CPU quota ${options.quotaPercent} %: not available here (${quota.unavailable}); measuring without it`);
  const limit = quota && !('unavailable' in quota) ? quota : undefined;
  const memoryGroups = options.memoryMb ? memoryLimit(options.memoryMb) : undefined;
  if (memoryGroups && 'unavailable' in memoryGroups)
    options.say(`memory limit ${options.memoryMb} MB: not available here (${memoryGroups.unavailable}); measuring without it`);
  const memory = memoryGroups && !('unavailable' in memoryGroups) ? memoryGroups : undefined;
  // Each process in a memory group of its own from before Node starts, as in a task.
  const wrapFor = (name: string) => (memory ? (command: string[]) => memory.join(name, command) : undefined);
  Object.assign(meta, {
    engine: options.engine,
    scale,
    placement: where.note,
    quotaPercent: limit ? options.quotaPercent : null,
    memoryLimitMb: memory ? options.memoryMb : null,
    nodeOptions,
    mallocEnv: image.mallocEnv,
    allocations: Boolean(options.allocations),
    compileCache: image.compileCache,
    entry: image.entry,
    checkout: { dir: checkout, commit: gitHead(checkout) },
  });
  options.say(
    `bench: ${options.engine}, ${scale.users} users / ${scale.threads} threads / ${scale.posts} posts; ${meta['mode']}, ${meta['durationS']} s per scenario; ${where.note}${limit ? `; server CPU quota ${options.quotaPercent} %` : ''}${memory ? `; memory limit ${options.memoryMb} MB per process` : ''}`,
  );

  const dataDir = mkdtempSync(join(tmpdir(), 'forum-bench-'));
  const sampling = options.allocations ? allocationSampling(dataDir, sampleAllocations) : undefined;
  // Schemas of this run only: a run killed before it cleaned up does not trouble the next.
  const schemaOf = (service: string) => `bench_${process.pid}_${service}`;
  const started = new Map<string, Started>();
  const cleanUp = () => {
    limit?.release();
    memory?.release();
    rmSync(dataDir, { recursive: true, force: true });
  };
  // Interrupted (Ctrl-C, a CI timeout): the processes it started and the CPU quota go with it.
  // The groups are removed once their processes are gone (a group with a process in it stays).
  const interrupted = () => {
    const children = [...started.values()].map((proc) => proc.child).filter((child) => child.exitCode === null && child.signalCode === null);
    for (const child of children) child.kill('SIGKILL');
    const gone = Promise.all(children.map((child) => new Promise((resolve) => child.once('exit', resolve))));
    void Promise.race([gone, new Promise((resolve) => setTimeout(resolve, 2000))]).finally(() => {
      cleanUp();
      process.exit(130);
    });
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    const baseline = await startBaseline(where, limit, wrapFor('baseline'));
    started.set('baseline', baseline.proc);
    const first = await baseline.measure(options, 'baseline (node:http JSON)');
    const rows: Row[] = [first];
    const urls = await startServices(
      options,
      { dataDir, schemaOf, databaseUrl, where, wrapFor, nodeOptions, image, sampling, entryOf },
      started,
      meta,
    );
    const token = await signIn(urls.users);
    const seeding = performance.now();
    await seed(options.engine === 'postgres' ? { engine: 'postgres', url: databaseUrl, schemaOf } : { engine: 'sqlite', dataDir }, scale);
    options.say(`  seeded in ${Math.round(performance.now() - seeding)} ms`);
    const alone = (who: string) => {
      for (const [service, proc] of started) pin(proc.pid, service === who ? where.serverCore : where.loadCore);
    };
    // The baseline is measured on both sides of each scenario, on the same core, and the ratios
    // are to the mean of the two: to what the machine gave around that scenario, not minutes
    // earlier (a shared machine's speed drifts). The one after a scenario is the next one's before.
    let before = first;
    for (const [name, scenario] of options.selected) {
      alone(scenario.service);
      const target = started.get(scenario.service);
      if (!target) throw new ToolError(`${scenario.service} is not running`);
      limit?.apply(target.pid);
      options.say(`  ${name} (${scenario.service}) ...`);
      const next = () => scenario.next({ scale, token, random: options.random });
      await expectOk(urls[scenario.service], next());
      await options.load(urls[scenario.service], next).catch(() => undefined); // warm-up
      memory?.resetPeak(scenario.service);
      sampling?.start(target.pid);
      const { cpuUsPerRequest, ...result } = await measured(target.pid, () => options.load(urls[scenario.service], next));
      const allocations = await sampling?.stop(target.pid);
      alone('baseline');
      const after = await baseline.measure(options, `baseline after ${name}`);
      const baseRps = (before.requestsPerSecond + after.requestsPerSecond) / 2;
      const baseCpu = before.cpuUsPerRequest && after.cpuUsPerRequest ? (before.cpuUsPerRequest + after.cpuUsPerRequest) / 2 : undefined;
      rows.push({
        scenario: name,
        service: scenario.service,
        ...result,
        groupMb: memory?.peakMb(scenario.service),
        baselineRequestsPerSecond: [before.requestsPerSecond, after.requestsPerSecond],
        ratio: round2(result.requestsPerSecond / baseRps),
        cpuUsPerRequest,
        cpuRatio: baseCpu && cpuUsPerRequest ? round2(baseCpu / cpuUsPerRequest) : undefined,
        ...allocations,
      });
      before = after;
    }
    return rows;
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    await Promise.all([...started.values()].map((p) => p.stop()));
    cleanUp();
    if (options.engine === 'postgres' && databaseUrl) {
      for (const service of services)
        execFileSync('psql', [databaseUrl, '-qc', `DROP SCHEMA IF EXISTS ${schemaOf(service)} CASCADE`], { stdio: 'ignore' });
    }
  }
}

/** The least a Node HTTP server can do for a JSON answer, on the core (and quota) the services get; measured before and after each scenario. */
async function startBaseline(where: Placement, limit: { apply(pid: number): void } | undefined, wrap: ((command: string[]) => string[]) | undefined) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const proc = await startProcess(['-e', BASELINE_SERVER], { ...process.env, PORT: String(port) }, `${url}/`, where.serverCore, wrap);
  limit?.apply(proc.pid);
  const next = (): RequestSpec => ({ method: 'GET', path: '/' });
  let warm = false;
  return {
    proc,
    measure: async (options: LocalBench, label: string): Promise<Row> => {
      options.say(`  ${label} ...`);
      if (!warm) await options.load(url, next).catch(() => undefined); // warm-up, like every scenario's
      warm = true;
      const result = await measured(proc.pid, () => options.load(url, next));
      return { scenario: 'baseline', service: 'node:http', ...result, ratio: 1, cpuRatio: result.cpuUsPerRequest && 1 };
    },
  };
}

/** The three services as in production (logging on), each started and timed to readiness. */
async function startServices(
  options: LocalBench,
  at: {
    dataDir: string;
    schemaOf: (service: string) => string;
    databaseUrl: string;
    where: Placement;
    wrapFor: (name: string) => ((command: string[]) => string[]) | undefined;
    nodeOptions: string[];
    image: ImageRuntime;
    sampling: ReturnType<typeof allocationSampling> | undefined;
    entryOf: (service: string) => string;
  },
  started: Map<string, Started>,
  meta: Record<string, unknown>,
): Promise<Record<ServiceName, string>> {
  const keys = tokenKeyEnv(generateTokenKeys());
  const ports = Object.fromEntries(await Promise.all(services.map(async (s) => [s, await freePort()]))) as Record<ServiceName, number>;
  const urls = Object.fromEntries(services.map((s) => [s, `http://127.0.0.1:${ports[s]}`])) as Record<ServiceName, string>;
  const startupMs: Record<string, number> = {};
  const firstStartMs: Record<string, number> = {};
  const compileCache = join(at.dataDir, 'compile-cache');
  // The same node as the services, with their V8 flags on its command line as they get them (Node
  // refuses many V8 flags in NODE_OPTIONS); not the profiler's: the warm-up run is not measured.
  const path = `${dirname(process.execPath)}:${process.env['PATH'] ?? ''}`;
  const warmOptions = at.nodeOptions.filter((flag) => !/^--(cpu|heap)-prof/.test(flag));
  for (const service of services) {
    if (at.image.compileCache)
      execFileSync('sh', [warmCompileCache, at.entryOf(service), compileCache, ...warmOptions], { env: { PATH: path }, stdio: 'pipe' });
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...keys,
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      PORT: String(ports[service]),
      HOST: '127.0.0.1',
      DATA_DIR: at.dataDir,
      USERS_URL: urls.users,
      THREADS_URL: urls.threads,
      PASSWORD_HASH_COST: '14',
      LOGIN_ATTEMPTS_PER_CLIENT_PER_MINUTE: '1000',
      ...(options.engine === 'postgres' ? { DATABASE_URL: at.databaseUrl, DB_SCHEMA: at.schemaOf(service) } : { DATABASE_URL: '' }),
      ...at.image.mallocEnv,
      ...(at.image.compileCache ? { NODE_COMPILE_CACHE: compileCache } : {}),
      ...at.sampling?.env,
    };
    // Each starts alone on the server core, as a task starts on its own vCPU; then it waits on the other.
    const start = () =>
      startProcess(
        [...at.nodeOptions, ...(at.sampling ? [at.sampling.nodeOption] : []), at.entryOf(service)],
        env,
        `${urls[service]}${servicePrefixes[service]}/ready`,
        at.where.serverCore,
        at.wrapFor(service),
      );
    // A task usually starts against tables that exist (only a deployment's first start creates
    // them): the first start migrates the empty database and is stopped; the second is timed.
    const first = await start();
    firstStartMs[service] = first.readyMs;
    await first.stop();
    const proc = await start();
    pin(proc.pid, at.where.loadCore);
    started.set(service, proc);
    startupMs[service] = proc.readyMs;
  }
  meta['startToReadyMs'] = startupMs;
  meta['firstStartToReadyMs'] = firstStartMs;
  const each = (times: Record<string, number>) =>
    Object.entries(times)
      .map(([s, ms]) => `${s} ${ms} ms`)
      .join(', ');
  options.say(`  start to ready: ${each(startupMs)} (the first start, migrating an empty database: ${each(firstStartMs)})`);
  return urls;
}

/** The signed-in account of the write scenarios, made through the API (the bulk data goes straight into the tables). */
async function signIn(usersUrl: string): Promise<string> {
  const account = { username: 'bench', displayName: 'Benchmark', password: 'benchmark password' };
  const post = (path: string, body: object) =>
    fetch(`${usersUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const registered = await post('/api/users', account);
  const signedIn = await post('/api/users/session', { username: account.username, password: account.password });
  if (registered.status !== 201 || signedIn.status !== 200)
    throw new ToolError(`could not register and sign in: ${registered.status}, ${signedIn.status} ${await signedIn.text()}`);
  return ((await signedIn.json()) as { accessToken: string }).accessToken;
}

/** One request of the scenario first: a scenario whose requests fail measures nothing. */
async function expectOk(base: string, spec: RequestSpec): Promise<void> {
  const res = await fetch(`${base}${spec.path}`, { method: spec.method, headers: spec.headers, body: spec.body, signal: AbortSignal.timeout(5000) });
  if (!res.ok) throw new ToolError(`${spec.method} ${spec.path} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
}

/** The commit a checkout is at, to tell runs of different builds apart; undefined outside git. */
function gitHead(dir: string): string | undefined {
  try {
    return execFileSync('git', ['-C', dir, 'rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

const round2 = (value: number) => Math.round(value * 100) / 100;
/** Runs a load against a server and adds what it cost the server: peak RSS and CPU per request. */
async function measured(pid: number, run: () => Promise<LoadResult>): Promise<LoadResult & { rssMb: number; cpuUsPerRequest?: number }> {
  const stopRss = rssSampler(pid);
  const cpu = cpuClock(pid);
  const result = await run();
  return { ...result, cpuUsPerRequest: perRequestUs(cpu(), result.total), rssMb: stopRss() };
}

const perRequestUs = (cpuS: number | undefined, requests: number) =>
  cpuS !== undefined && requests > 0 ? Math.round((cpuS * 1e6) / requests) : undefined;
