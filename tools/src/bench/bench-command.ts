import { cpus, totalmem } from 'node:os';
import { defineCommand, UsageError } from '../core/command';
import { closedLoop, openLoop, type LoadResult, type RequestSpec } from './load';
import { finish, type Row } from './report';
import { benchLocal } from './run-local';
import { scenarios } from './scenarios';

const random = (n: number) => 1 + Math.floor(Math.random() * n);
const say = (line: string) => process.stdout.write(`${line}\n`);

export const benchCommand = defineCommand({
  name: 'bench',
  summary: 'benchmark the services against a node:http baseline, or a deployment',
  description:
    'Benchmarks the services as they run in production (built bundles, logging on) against a raw\n' +
    'node:http JSON server measured on the same core before and after each scenario, and prints every\n' +
    'scenario as req/s, p50/p99/max latency (ms), errors, server RSS and the ratio to that baseline.',
  options: {
    engine: { type: 'string', default: 'sqlite', placeholder: 'sqlite|postgres', doc: 'database of the services (postgres uses DATABASE_URL)' },
    scale: { type: 'number', default: 0.1, min: 0.0001, max: 10, doc: '1 = 100k users, 10k threads, 1M posts' },
    scenario: { type: 'list', placeholder: 'name', doc: `default all: ${Object.keys(scenarios).join(', ')}` },
    duration: { type: 'number', default: 10, min: 1, max: 600, unit: 'seconds', doc: 'per scenario (at most 60 with --url)' },
    connections: { type: 'number', default: 50, min: 1, max: 10000, integer: true, doc: 'closed-loop clients' },
    rate: { type: 'number', min: 1, max: 1000000, doc: 'open loop: n requests/s on a schedule instead of a closed loop' },
    quota: { type: 'number', min: 1, max: 100, doc: 'CPU quota of the server in percent (25 = a 0.25 vCPU task; cgroup v1)' },
    memory: { type: 'number', min: 64, max: 65536, integer: true, unit: 'MB', doc: 'memory limit of each process (512 = a Fargate task; cgroup v1)' },
    url: { type: 'string', placeholder: 'base', doc: 'measure a running deployment (the ALB) instead; reads only' },
    ids: { type: 'number', default: 4, min: 1, max: 1e9, integer: true, doc: 'with --url: ids 1..n exist' },
    'node-option': {
      type: 'list',
      placeholder: 'flag',
      doc: "a Node or V8 flag for the services, after the image's NODE_OPTIONS (e.g. --max-semi-space-size=16, --trace-gc)",
    },
    allocations: {
      type: 'boolean',
      doc: "also sample what each scenario's service allocates on its heap per request, and where (slows the services)",
    },
    checkout: {
      type: 'string',
      placeholder: 'dir',
      doc: "measure another checkout's built services and Dockerfile (an older commit in a git worktree) with this bench",
    },
    out: { type: 'string', placeholder: 'file', doc: 'JSON results [dist/bench/<time>.json]' },
  },
  run: async (values) => {
    if (values.engine !== 'sqlite' && values.engine !== 'postgres')
      throw new UsageError(`--engine must be sqlite or postgres (got "${values.engine}")`);
    if (values.url && values.allocations) throw new UsageError('--allocations samples the services this bench starts: not with --url');
    const names = values.scenario.length > 0 ? values.scenario : Object.keys(scenarios).filter((n) => !values.url || !scenarios[n]?.localOnly);
    const selected = names.map((name) => {
      const scenario = scenarios[name];
      if (!scenario) throw new UsageError(`unknown scenario ${name} (scenarios: ${Object.keys(scenarios).join(', ')})`);
      if (values.url && scenario.localOnly) throw new UsageError(`${name} writes data: only on a local run, not against --url`);
      return [name, scenario] as const;
    });
    const durationS = Math.min(values.duration, values.url ? 60 : 600);
    const rate = values.rate;
    const load = (base: string, next: () => RequestSpec): Promise<LoadResult> =>
      rate ? openLoop(base, next, rate, durationS) : closedLoop(base, next, values.connections, durationS);
    const mode = rate ? `open loop at ${rate} req/s` : `closed loop, ${values.connections} connections`;
    const meta: Record<string, unknown> = {
      date: new Date().toISOString(),
      node: process.version,
      cpu: cpus()[0]?.model,
      cores: cpus().length,
      memoryGb: Math.round(totalmem() / 2 ** 30),
      mode,
      durationS,
    };

    let rows: Row[];
    if (values.url) {
      const base = values.url;
      say(`bench ${base}: ${names.join(', ')}; ${mode}, ${durationS} s each`);
      const context = { scale: { users: values.ids, threads: values.ids, posts: values.ids }, token: '', random };
      rows = [];
      for (const [name, scenario] of selected) {
        say(`  ${name} ...`);
        rows.push({ scenario: name, service: scenario.service, ...(await load(base, () => scenario.next(context))), rssMb: 0, ratio: null });
      }
      meta['target'] = base;
    } else {
      rows = await benchLocal(
        {
          engine: values.engine,
          scaleFactor: values.scale,
          quotaPercent: values.quota,
          memoryMb: values.memory,
          nodeOptions: values['node-option'],
          allocations: values.allocations,
          checkout: values.checkout,
          selected,
          load,
          random,
          say,
        },
        meta,
      );
    }
    finish(rows, meta, values.out, say);
  },
});
