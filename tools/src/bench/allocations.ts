import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ToolError } from '../core/command';

/** What a service's JavaScript heap allocated per answered request while a scenario was measured. */
export interface Allocations {
  /** Bytes allocated per request, in KB (V8's sampling heap profiler, objects already collected included). */
  heapKbPerRequest: number;
  /** The functions that allocated most, by the bytes they allocated themselves per request. */
  allocationSites: { site: string; bytesPerRequest: number }[];
}

const WAIT_MS = 10000;

/**
 * `bench --allocations`: the services load `script` (tools/scripts/sample-allocations.mjs), which
 * samples their heap's allocations between two SIGUSR2; the bench sends one before a scenario's
 * measured load and one after, and reads what the script wrote. Garbage is what makes a service collect,
 * and under a CPU quota a collection is where requests queue; unlike req/s, the bytes a request
 * allocates hardly move with the speed of the host, so two builds compare in one run each. The
 * sampling costs the service CPU: the other figures of such a run are not comparable.
 */
export function allocationSampling(dir: string, script: string) {
  const out = join(dir, 'allocations');
  mkdirSync(out, { recursive: true });
  const fileOf = (pid: number) => join(out, `${pid}.json`);
  return {
    nodeOption: `--import=${pathToFileURL(script).href}`,
    env: { ALLOCATIONS_DIR: out },
    start: (pid: number) => {
      rmSync(fileOf(pid), { force: true });
      process.kill(pid, 'SIGUSR2');
    },
    stop: async (pid: number): Promise<Allocations> => {
      process.kill(pid, 'SIGUSR2');
      const deadline = Date.now() + WAIT_MS;
      while (!existsSync(fileOf(pid))) {
        if (Date.now() > deadline) throw new ToolError(`the service (pid ${pid}) wrote no allocation sample in ${WAIT_MS / 1000} s`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const sample = JSON.parse(readFileSync(fileOf(pid), 'utf8')) as {
        requests: number;
        bytes: number;
        sites: { site: string; bytes: number }[];
        error?: string;
      };
      if (sample.error) throw new ToolError(`the allocation sample of pid ${pid} failed: ${sample.error}`);
      const perRequest = (bytes: number) => Math.round(bytes / Math.max(1, sample.requests));
      return {
        heapKbPerRequest: Math.round(perRequest(sample.bytes) / 100) / 10,
        allocationSites: sample.sites.map(({ site, bytes }) => ({ site, bytesPerRequest: perRequest(bytes) })),
      };
    },
  };
}
