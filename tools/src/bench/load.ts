import { Agent, request } from 'node:http';
import autocannon from 'autocannon';

/** One request of a scenario; `next()` makes each one (random ids, bodies). */
export interface RequestSpec {
  method: 'GET' | 'POST' | 'PATCH';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  max: number;
  /** Requests answered with anything but 2xx, and requests that got no answer. */
  errors: number;
  total: number;
}

/** Closed loop with autocannon: `connections` clients, each sending its next request on an answer. */
export async function closedLoop(baseUrl: string, next: () => RequestSpec, connections: number, durationS: number): Promise<LoadResult> {
  const first = next();
  const result = await autocannon({
    url: baseUrl,
    connections,
    duration: durationS,
    requests: [
      {
        method: first.method,
        path: first.path,
        setupRequest: (req) => {
          const spec = next();
          return { ...req, method: spec.method, path: spec.path, headers: { ...req.headers, ...spec.headers }, body: spec.body } as typeof req;
        },
      },
    ],
  });
  return {
    requestsPerSecond: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    errors: result.non2xx + result.errors + result.timeouts,
    total: result.requests.total,
  };
}

/**
 * Open loop: requests leave on a fixed schedule (`rate` per second) whether or not earlier ones
 * were answered, and each latency counts from the request's scheduled time, so a server that
 * falls behind shows the queueing it causes (no coordinated omission).
 */
export async function openLoop(baseUrl: string, next: () => RequestSpec, rate: number, durationS: number): Promise<LoadResult> {
  const url = new URL(baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: 1024 });
  const total = Math.round(rate * durationS);
  const latencies: number[] = [];
  let errors = 0;
  const start = performance.now() + 20;
  const send = (scheduled: number) =>
    new Promise<void>((resolve) => {
      const spec = next();
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          agent,
          method: spec.method,
          path: spec.path,
          headers: { 'content-type': 'application/json', ...spec.headers },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            latencies.push(performance.now() - scheduled);
            if ((res.statusCode ?? 0) >= 300) errors += 1;
            resolve();
          });
        },
      );
      req.setTimeout(10000, () => req.destroy(new Error('timeout')));
      req.on('error', () => {
        errors += 1;
        latencies.push(performance.now() - scheduled);
        resolve();
      });
      req.end(spec.body);
    });
  const inFlight: Promise<void>[] = [];
  let sent = 0;
  while (sent < total) {
    const now = performance.now();
    // Everything whose time has come leaves now, measured from when it should have left.
    while (sent < total && start + (sent * 1000) / rate <= now) {
      inFlight.push(send(start + (sent * 1000) / rate));
      sent += 1;
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await Promise.all(inFlight);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => Math.round((latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0) * 10) / 10;
  const elapsedS = (performance.now() - start) / 1000;
  return { requestsPerSecond: Math.round(total / elapsedS), p50: at(0.5), p99: at(0.99), max: at(1), errors, total };
}
