import type { Report } from './findings';
import { durationSeconds, type ServiceManifest } from './schemas';

// Fargate's valid task sizes: memory (MiB) allowed for each cpu (units).
const fargateMemory: Record<number, number[]> = {
  256: [512, 1024, 2048],
  512: [1024, 2048, 3072, 4096],
  1024: range(2048, 8192, 1024),
  2048: range(4096, 16384, 1024),
  4096: range(8192, 30720, 1024),
  8192: range(16384, 61440, 4096),
  16384: range(32768, 122880, 8192),
};

function range(from: number, to: number, step: number): number[] {
  return Array.from({ length: (to - from) / step + 1 }, (_, i) => from + i * step);
}

type Service = Omit<ServiceManifest, 'environments'>;

/** Where the ECS Exec (SSM) agent writes inside the container (aws/containers-roadmap#1359). */
const execAgentPaths = ['/var/lib/amazon', '/var/log/amazon'];

/** The rules every Load Balanced Web Service manifest must satisfy to deploy as intended. */
export function checkService(svc: Service, report: Report, at = ''): void {
  const path = (p: string) => `${at}${p}`;
  const allowed = fargateMemory[svc.cpu];
  if (!allowed) report(path('cpu'), 'fargate-size', `${svc.cpu} is not a Fargate cpu value (${Object.keys(fargateMemory).join(', ')})`);
  else if (!allowed.includes(svc.memory))
    report(path('memory'), 'fargate-size', `${svc.memory} MiB is not valid with cpu ${svc.cpu} (${allowed.join(', ')})`);

  if (typeof svc.count === 'object') {
    const bounds = countRange(svc.count.range);
    if (!bounds) report(path('count.range'), 'count-range', `${JSON.stringify(svc.count.range)} is not "min-max"`);
    else if (bounds.min < 1 || bounds.min > bounds.max)
      report(path('count.range'), 'count-range', `min ${bounds.min} must be >= 1 and <= max ${bounds.max}`);
    const { cpu_percentage, memory_percentage, requests, response_time } = svc.count;
    if ([cpu_percentage, memory_percentage, requests, response_time].every((m) => m === undefined)) {
      report(
        path('count'),
        'count-metrics',
        'a range needs at least one scaling metric (cpu_percentage, memory_percentage, requests, response_time)',
      );
    }
  }

  const hc = typeof svc.http.healthcheck === 'string' ? { path: svc.http.healthcheck } : svc.http.healthcheck;
  const seconds = (v: string | undefined, fallback: number) => (v === undefined ? fallback : (durationSeconds(v) ?? fallback));
  const interval = seconds(hc.interval, 30);
  const timeout = seconds(hc.timeout, 5);
  if (interval < 5 || interval > 300) report(path('http.healthcheck.interval'), 'health-interval', `must be 5s-300s (got ${hc.interval})`);
  if (timeout < 2 || timeout > 120 || timeout >= interval) {
    report(
      path('http.healthcheck.timeout'),
      'health-timeout',
      `must be 2s-120s and shorter than the interval (got ${hc.timeout ?? '5s'} for ${interval}s)`,
    );
  }
  for (const key of ['healthy_threshold', 'unhealthy_threshold'] as const) {
    const value = hc[key as keyof typeof hc];
    if (typeof value === 'number' && (value < 2 || value > 10))
      report(path(`http.healthcheck.${key}`), 'health-threshold', `must be 2-10 (got ${value})`);
  }
  const delay = seconds(svc.http.deregistration_delay, 60);
  if (delay < 0 || delay > 3600)
    report(path('http.deregistration_delay'), 'deregistration-delay', `must be 0s-3600s (got ${svc.http.deregistration_delay})`);

  if (svc.exec === true && svc.storage?.readonly_fs === true) {
    const writable = (at: string) => Object.values(svc.storage?.volumes ?? {}).some((v) => v.path === at && v.read_only === false);
    const missing = execAgentPaths.filter((at) => !writable(at));
    if (missing.length > 0)
      report(
        path('exec'),
        'exec-readonly',
        `ECS Exec's agent cannot start on a read-only root without writable volumes at ${missing.join(' and ')}: mount them (read_only: false) or set exec: false`,
      );
  }

  checkTracing(svc, report, path);

  const stop = svc.taskdef_overrides?.find((o) => o.path === 'ContainerDefinitions[0].StopTimeout')?.value;
  if (stop !== undefined && (typeof stop !== 'number' || stop <= delay || stop > 120)) {
    report(
      path('taskdef_overrides'),
      'stop-timeout',
      `StopTimeout must exceed the deregistration delay (${delay}s) and be at most 120 (got ${JSON.stringify(stop)})`,
    );
  }
}

/**
 * Traces in AWS: the ADOT sidecar (observability.tracing: awsxray), and the service sending to
 * it (OTEL_TRACES_EXPORTER=otlp; tracing is off by default), or one without the other is useless.
 */
function checkTracing(svc: Service, report: Report, path: (p: string) => string): void {
  if (svc.observability?.tracing !== 'awsxray') {
    report(
      path('observability.tracing'),
      'tracing',
      'must be awsxray, so that Copilot runs the ADOT collector sidecar that sends the traces to X-Ray',
    );
  } else if (svc.variables?.['OTEL_TRACES_EXPORTER'] !== 'otlp') {
    report(
      path('variables.OTEL_TRACES_EXPORTER'),
      'tracing',
      'must be otlp when tracing is on: the service sends no spans otherwise (tracing is off by default)',
    );
  }
}

/** `count.range` as numbers: "2-10" or {min, max}. */
export function countRange(value: string | { min: number; max: number }): { min: number; max: number } | undefined {
  if (typeof value === 'object') return value;
  const match = /^(\d+)-(\d+)$/.exec(value);
  return match ? { min: Number(match[1]), max: Number(match[2]) } : undefined;
}

/** A manifest as one environment sees it: the environments.<env> override merged over the base. */
export function effectiveService(manifest: ServiceManifest, env: string): Service {
  const { environments, ...base } = manifest;
  return deepMerge(base, environments?.[env] ?? {}) as Service;
}

function deepMerge(base: unknown, override: unknown): unknown {
  if (
    typeof base !== 'object' ||
    base === null ||
    Array.isArray(base) ||
    typeof override !== 'object' ||
    override === null ||
    Array.isArray(override)
  ) {
    return override === undefined ? base : override;
  }
  const merged: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [key, value] of Object.entries(override)) merged[key] = deepMerge(merged[key], value);
  return merged;
}
