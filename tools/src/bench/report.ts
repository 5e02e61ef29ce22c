import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Allocations } from './allocations';
import type { LoadResult } from './load';

export type Row = LoadResult & {
  scenario: string;
  service: string;
  /** Peak resident memory of the server during the run (the Node binary's shared pages included). */
  rssMb: number;
  /** With --memory: the peak its memory group was charged (anonymous memory and page cache), what a task's limit sees. */
  groupMb?: number;
  /** req/s of the baseline measured just before and just after this scenario, on the same core. */
  baselineRequestsPerSecond?: [number, number];
  /** req/s over the mean of those two. */
  ratio: number | null;
  /** CPU time of the server (all its threads) per answered request, in microseconds. */
  cpuUsPerRequest?: number;
  /** The baseline's CPU per request (the mean of before and after) over this one's: the ratio of costs, whatever limited the load. */
  cpuRatio?: number;
} & Partial<Allocations>;

/** Prints the table and writes the JSON results (to `out`, or a timestamped file under dist/bench). */
export function finish(rows: Row[], meta: Record<string, unknown>, out: string | undefined, say: (line: string) => void): void {
  const header = [
    'scenario',
    'service',
    'req/s',
    'p50 ms',
    'p99 ms',
    'max ms',
    'errors',
    'RSS MB',
    'group MB',
    'baseline req/s before / after',
    'ratio',
    'CPU us/req',
    'CPU ratio',
  ];
  const sampled = rows.some((r) => r.heapKbPerRequest !== undefined);
  if (sampled) header.push('heap KB/req');
  const lines = rows.map((r) =>
    [
      r.scenario,
      r.service,
      r.requestsPerSecond,
      r.p50,
      r.p99,
      r.max,
      `${r.errors}/${r.total}`,
      r.rssMb || '-',
      r.groupMb ?? '-',
      r.baselineRequestsPerSecond?.join(' / ') ?? '-',
      r.ratio ?? '-',
      r.cpuUsPerRequest ?? '-',
      r.cpuRatio ?? '-',
      ...(sampled ? [r.heapKbPerRequest ?? '-'] : []),
    ].map(String),
  );
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]?.length ?? 0)));
  const format = (cells: string[]) => `| ${cells.map((c, i) => (i < 2 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(' | ')} |`;
  say('');
  say(format(header));
  say(`|${widths.map((w, i) => (i < 2 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
  for (const line of lines) say(format(line));
  for (const r of rows.filter((row) => row.allocationSites?.length)) {
    say(`\n${r.scenario} (${r.service}): ${r.heapKbPerRequest} KB allocated per request, most by`);
    for (const { site, bytesPerRequest } of r.allocationSites ?? []) say(`  ${String(bytesPerRequest).padStart(7)} B  ${site}`);
  }
  const file = resolve(out ?? join('dist', 'bench', `${new Date().toISOString().replace(/[:.]/g, '-')}.json`));
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ ...meta, results: rows }, null, 2)}\n`);
  say(`\nresults: ${file}`);
}
