import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { stopChild, waitUntilReady } from '@forum/process';

/**
 * Where the processes of a benchmark run: the server under test alone on one core, the load
 * generator (and the services it is not measuring) on another, when `taskset` exists and the
 * machine has two cores; and, on request, the server under a CPU quota like a Fargate task's.
 */
export interface Placement {
  serverCore: number | undefined;
  loadCore: number | undefined;
  note: string;
}

export function placement(): Placement {
  const hasTaskset = spawnSync('taskset', ['-V']).status === 0;
  const count = cpus().length;
  if (!hasTaskset || count < 2) {
    return { serverCore: undefined, loadCore: undefined, note: `not pinned (${hasTaskset ? `${count} core` : 'no taskset'})` };
  }
  return { serverCore: 0, loadCore: 1, note: 'server on core 0, load generator on core 1 (taskset)' };
}

/** Pins a running process, every thread of it, to one core; no-op without a core. */
export function pin(pid: number, core: number | undefined): void {
  if (core === undefined) return;
  spawnSync('taskset', ['-a', '-p', '-c', String(core), String(pid)], { stdio: 'ignore' });
}

const CGROUP_CPU = '/sys/fs/cgroup/cpu';

/**
 * A CPU quota on cgroup v1's cpu controller (`cpu.cfs_quota_us` / `cpu.cfs_period_us`): 25 % is
 * what a 0.25 vCPU Fargate task gets. Undefined, with the reason, where no such controller is
 * writable (cgroup v2 without delegated controllers, not root).
 */
export function cpuQuota(percent: number): { apply(pid: number): void; release(): void } | { unavailable: string } {
  const dir = join(CGROUP_CPU, `forum-bench-${process.pid}`);
  try {
    if (!existsSync(join(CGROUP_CPU, 'cpu.cfs_quota_us'))) return { unavailable: `no cgroup v1 cpu controller at ${CGROUP_CPU}` };
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'cpu.cfs_period_us'), '100000');
    writeFileSync(join(dir, 'cpu.cfs_quota_us'), String(Math.round(percent * 1000)));
  } catch (error) {
    return { unavailable: `cannot create ${dir}: ${(error as Error).message}` };
  }
  return {
    apply: (pid) => writeFileSync(join(dir, 'cgroup.procs'), String(pid)),
    release: () => {
      try {
        for (const pid of readFileSync(join(dir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean)) {
          writeFileSync(join(CGROUP_CPU, 'cgroup.procs'), pid);
        }
        rmdirSync(dir);
      } catch {
        // the processes are gone and the group with them, or it is already removed
      }
    },
  };
}

const CGROUP_MEMORY = '/sys/fs/cgroup/memory';

/**
 * A memory limit per process on cgroup v1's memory controller, like a Fargate task's: each process
 * gets a group of its own, joined before Node starts, so that Node sizes its heap for the limit
 * as it does in a task (`join` is what to run instead of the command). Undefined, with the
 * reason, where no such controller is writable.
 */
export interface MemoryGroups {
  join(name: string, command: string[]): string[];
  /** Starts a new peak of the group's charged memory (anonymous memory and page cache). */
  resetPeak(name: string): void;
  /** The group's peak since the last reset, in MB: what the task's limit and its memory metric see. */
  peakMb(name: string): number | undefined;
  release(): void;
}

export function memoryLimit(mb: number): MemoryGroups | { unavailable: string } {
  if (!existsSync(join(CGROUP_MEMORY, 'memory.limit_in_bytes'))) return { unavailable: `no cgroup v1 memory controller at ${CGROUP_MEMORY}` };
  try {
    accessSync(CGROUP_MEMORY, constants.W_OK);
  } catch (error) {
    return { unavailable: `cannot create a group under ${CGROUP_MEMORY}: ${(error as Error).message}` };
  }
  const groups: string[] = [];
  const dirOf = (name: string) => join(CGROUP_MEMORY, `forum-bench-${process.pid}-${name}`);
  const group = (name: string) => {
    const dir = dirOf(name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'memory.limit_in_bytes'), String(mb * 1024 * 1024));
    groups.push(dir);
    return dir;
  };
  return {
    // The shell moves itself into the group, then becomes Node (same pid).
    join: (name, command) => ['/bin/sh', '-c', 'echo $$ > "$0" && exec "$@"', join(group(name), 'cgroup.procs'), ...command],
    resetPeak: (name) => writeFileSync(join(dirOf(name), 'memory.max_usage_in_bytes'), '0'),
    peakMb: (name) => {
      try {
        return Math.round(Number(readFileSync(join(dirOf(name), 'memory.max_usage_in_bytes'), 'utf8')) / 1024 / 1024);
      } catch {
        return undefined;
      }
    },
    release: () => {
      for (const dir of groups) {
        try {
          rmdirSync(dir);
        } catch {
          // a process of it is still exiting; the group goes with the last one
        }
      }
    },
  };
}

/** A figure of /proc/<pid>/status in MB (VmRSS now, VmHWM its peak); undefined where there is none. */
export function statusMb(pid: number | undefined, field: 'VmRSS' | 'VmHWM' = 'VmRSS'): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Math.round(Number(match[1]) / 1024) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Watches a process's RSS until stopped; returns the peak. The kernel's own peak (VmHWM, reset
 * here through clear_refs) catches what a 250 ms sample would miss; sampling stays for where the
 * reset is not allowed.
 */
export function rssSampler(pid: number | undefined) {
  let reset = false;
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    reset = true;
  } catch {
    // not ours to reset (another user's process, no procfs): the samples alone
  }
  let peak = statusMb(pid) ?? 0;
  const timer = setInterval(() => (peak = Math.max(peak, statusMb(pid) ?? 0)), 250);
  return () => {
    clearInterval(timer);
    return Math.max(peak, statusMb(pid) ?? 0, (reset && statusMb(pid, 'VmHWM')) || 0);
  };
}

/**
 * Measures the CPU time a process (all its threads) spends from now on, in seconds, from
 * /proc/<pid>/stat (utime + stime, in the kernel's 100 Hz ticks); undefined where there is none.
 */
export function cpuClock(pid: number | undefined): () => number | undefined {
  const read = (): number | undefined => {
    try {
      // The fields after the command name, which is in parentheses and may hold spaces.
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      return (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      return undefined;
    }
  };
  const start = read();
  return () => {
    const end = read();
    return start === undefined || end === undefined ? undefined : end - start;
  };
}

export interface Started {
  child: ChildProcess;
  pid: number;
  /** Milliseconds from spawn to the first 200 of `readyUrl`. */
  readyMs: number;
  /** What the process printed, for errors and the `startupMs` log line. */
  output: () => string;
  stop(): Promise<void>;
}

/**
 * Spawns a Node process (through `wrap`, e.g. into a memory group, when given) and waits until
 * `readyUrl` answers 200.
 */
export async function startProcess(
  args: string[],
  env: NodeJS.ProcessEnv,
  readyUrl: string,
  core: number | undefined,
  wrap: (command: string[]) => string[] = (command) => command,
): Promise<Started> {
  const startedAt = performance.now();
  const [command = process.execPath, ...rest] = wrap([process.execPath, ...args]);
  const child = spawn(command, rest, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  pin(child.pid ?? 0, core);
  let output = '';
  // Like a container's log driver, something reads every line; only the start is kept.
  const keep = (chunk: Buffer) => {
    if (output.length < 20000) output += chunk.toString();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  // Polled often: the time to ready is one of the figures.
  await waitUntilReady(readyUrl, child, { timeoutMs: 30000, intervalMs: 5, describe: () => `${args.join(' ')}:\n${output}` });
  const readyMs = Math.round(performance.now() - startedAt);
  return {
    child,
    pid: child.pid ?? 0,
    readyMs,
    output: () => output,
    stop: async () => {
      await stopChild(child);
    },
  };
}
