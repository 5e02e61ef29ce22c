import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startStack, type StartedStack } from './stack';

/**
 * A seconds-long run of the benchmark tool, to keep it working: it is a tool that prints figures,
 * and nothing here judges the figures, only that every scenario ran and every request succeeded.
 */
const tools = resolve(__dirname, '../../../dist/tools/main.js');
const engines = process.env['DATABASE_URL'] ? ['sqlite', 'postgres'] : ['sqlite'];

function bench(args: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'forum-bench-test-'));
  try {
    const run = spawnSync(process.execPath, [tools, 'bench', ...args, '--out', join(dir, 'out.json')], { encoding: 'utf8', timeout: 120000 });
    const results = run.status === 0 ? JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')) : undefined;
    return { ...run, results };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the benchmark tool', () => {
  it('when asked for help, then it lists its options', () => {
    const help = spawnSync(process.execPath, [tools, 'bench', '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/--quota <n> +CPU quota of the server in percent \(25 = a 0.25 vCPU task; cgroup v1\) \(1-100\)\n/);
  });

  it.each(engines)(
    'when run briefly on %s, then every scenario and the baseline report figures without errors',
    (engine) => {
      const run = bench(['--engine', engine, '--scale', '0.0005', '--duration', '1', '--connections', '4']);
      expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
      expect(run.stdout).toMatch(/^\| scenario +\| service/m);
      const rows = run.results.results as { scenario: string; requestsPerSecond: number; errors: number; rssMb: number }[];
      expect(rows.map((r) => r.scenario)).toEqual([
        'baseline',
        'health',
        'users-by-id',
        'threads-by-id',
        'posts-by-id',
        'threads-page',
        'posts-in-thread',
        'create-post',
        'update-post',
      ]);
      for (const row of rows) expect(row).toMatchObject({ requestsPerSecond: expect.any(Number), errors: 0 });
      expect(rows.every((r) => r.requestsPerSecond > 0 && r.rssMb > 0)).toBe(true);
      // Each scenario's ratio is to the mean of the baseline measured just before and just after it.
      for (const row of rows.slice(1) as unknown as { requestsPerSecond: number; baselineRequestsPerSecond: [number, number]; ratio: number }[]) {
        const [before, after] = row.baselineRequestsPerSecond;
        expect(row.ratio).toBeCloseTo(row.requestsPerSecond / ((before + after) / 2), 2);
      }
      expect(run.results.startToReadyMs).toEqual({ users: expect.any(Number), threads: expect.any(Number), posts: expect.any(Number) });
    },
    180000,
  );

  it("when run under a task's limits (CPU quota, memory limit), then each process runs inside them, or the tool says why not", () => {
    const run = bench(['--scale', '0.0005', '--duration', '1', '--rate', '50', '--quota', '25', '--memory', '512', '--scenario', 'threads-by-id']);
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    // Where cgroup v1 is writable (CI runs as root) both limits are applied; elsewhere the run says so and goes on.
    const cgroupV1 = process.getuid?.() === 0 && existsSync('/sys/fs/cgroup/memory/memory.limit_in_bytes');
    if (cgroupV1) expect(run.results).toMatchObject({ quotaPercent: 25, memoryLimitMb: 512 });
    // ... and the service's row says what its memory group was charged at its peak.
    if (cgroupV1) expect(run.results.results[1]).toMatchObject({ groupMb: expect.any(Number) });
    if (cgroupV1) expect(run.results.results[1].groupMb).toBeGreaterThan(10);
    else expect(run.stdout).toMatch(/memory limit 512 MB: not available here/);
    expect(run.results.results).toEqual([
      expect.objectContaining({ scenario: 'baseline', errors: 0 }),
      expect.objectContaining({ scenario: 'threads-by-id', total: 50, errors: 0 }),
    ]);
  }, 120000);

  it('when given a V8 flag that Node refuses in NODE_OPTIONS, then the services start and run with it', () => {
    // The compile-cache warm-up gets the flags on node's command line, as the services do.
    const run = bench(['--scale', '0.0005', '--duration', '1', '--connections', '4', '--scenario', 'health', '--node-option=--trace-gc']);
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    expect(run.results.nodeOptions).toContain('--trace-gc');
    expect(run.results.results).toEqual([
      expect.objectContaining({ scenario: 'baseline', errors: 0 }),
      expect.objectContaining({ scenario: 'health', errors: 0 }),
    ]);
  }, 120000);

  it("when asked for allocations, then each scenario's row says what its service's heap allocated per request, and where", () => {
    const run = bench(['--scale', '0.0005', '--duration', '1', '--connections', '4', '--scenario', 'posts-in-thread', '--allocations']);
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    const [baseline, page] = run.results.results;
    expect(baseline.heapKbPerRequest).toBeUndefined();
    // A page of posts is rows, their JSON and a request's worth of HTTP objects: kilobytes.
    expect(page.heapKbPerRequest).toBeGreaterThan(1);
    expect(page.allocationSites.length).toBeGreaterThan(0);
    expect(page.allocationSites[0]).toEqual({ site: expect.any(String), bytesPerRequest: expect.any(Number) });
    expect(run.stdout).toMatch(/^\| scenario .*\| heap KB\/req \|$/m);
    expect(run.stdout).toMatch(/^posts-in-thread \(posts\): [\d.]+ KB allocated per request, most by$/m);
  }, 120000);

  it('when pointed at another checkout that has no built services, then it stops and says which bundle is missing', () => {
    const empty = mkdtempSync(join(tmpdir(), 'forum-bench-checkout-'));
    try {
      const run = bench(['--checkout', empty, '--scenario', 'users-by-id', '--duration', '1']);
      expect(run.status).not.toBe(0);
      expect(run.stderr).toContain(`${join(empty, 'dist', 'apps', 'users', 'main.js')} is not built`);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  describe('against a running deployment', () => {
    let stack: StartedStack;
    beforeAll(async () => {
      stack = await startStack();
    });
    afterAll(() => stack.stop());

    it('when given a base URL and a rate, then it measures reads there in open loop and starts nothing', () => {
      const run = bench(['--url', stack.baseUrl, '--rate', '50', '--duration', '1', '--scenario', 'users-by-id', '--scenario', 'threads-page']);
      expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
      expect(run.results).toMatchObject({ mode: 'open loop at 50 req/s', target: stack.baseUrl });
      expect(run.results.results).toEqual([
        expect.objectContaining({ scenario: 'users-by-id', total: 50, errors: 0 }),
        expect.objectContaining({ scenario: 'threads-page', total: 50, errors: 0 }),
      ]);
    });

    it('when asked to write to a deployment, or to sample what its services allocate, then it refuses', () => {
      const run = bench(['--url', stack.baseUrl, '--scenario', 'create-post']);
      expect(run.status).toBe(2);
      expect(run.stderr).toContain('create-post writes data: only on a local run');
      const sampling = bench(['--url', stack.baseUrl, '--allocations']);
      expect(sampling.status).toBe(2);
      expect(sampling.stderr).toContain('--allocations samples the services this bench starts: not with --url');
    });
  });
});
