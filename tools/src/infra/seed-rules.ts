import type { Report } from './findings';
import { countRange } from './service-rules';
import { durationSeconds, type EnvironmentManifest, type ServiceManifest } from './schemas';

/** The numbers of the system's design: task size, scaling, draining, network. */
export const seed = {
  cpu: 256,
  memory: 512,
  count: { min: 2, max: 10 },
  cpuPercentage: 70,
  memoryPercentage: 80,
  scaleInCooldownSeconds: 300,
  deregistrationDelaySeconds: 30,
  healthIntervalSeconds: 30,
  vpc: '10.0.0.0/16',
  public: [
    { cidr: '10.0.0.0/24', az: 'us-east-1a' },
    { cidr: '10.0.1.0/24', az: 'us-east-1b' },
  ],
  private: [
    { cidr: '10.0.100.0/24', az: 'us-east-1a' },
    { cidr: '10.0.101.0/24', az: 'us-east-1b' },
  ],
};

const metric = (m: number | { value: number } | undefined) => (typeof m === 'object' ? m.value : m);

/** Reports a `seed` finding where a value is not the design's. */
const seedCheck = (report: Report) => (path: string, actual: unknown, wanted: unknown) => {
  if (JSON.stringify(actual) !== JSON.stringify(wanted)) report(path, 'seed', `must be ${JSON.stringify(wanted)} (got ${JSON.stringify(actual)})`);
};

export function checkServiceSeed(svc: Omit<ServiceManifest, 'environments'>, report: Report): void {
  const expect = seedCheck(report);
  expect('cpu', svc.cpu, seed.cpu);
  expect('memory', svc.memory, seed.memory);
  const count = typeof svc.count === 'object' ? svc.count : undefined;
  expect('count.range', count ? countRange(count.range) : svc.count, seed.count);
  expect('count.cpu_percentage', metric(count?.cpu_percentage), seed.cpuPercentage);
  expect('count.memory_percentage', metric(count?.memory_percentage), seed.memoryPercentage);
  expect('count.cooldown.in', durationSeconds(count?.cooldown?.in ?? ''), seed.scaleInCooldownSeconds);
  expect('http.deregistration_delay', durationSeconds(svc.http.deregistration_delay ?? ''), seed.deregistrationDelaySeconds);
  const hc = typeof svc.http.healthcheck === 'object' ? svc.http.healthcheck : {};
  expect('http.healthcheck.interval', durationSeconds(hc.interval ?? '30s'), seed.healthIntervalSeconds);
  expect('network.vpc.placement', svc.network?.vpc?.placement, 'private');
  expect('network.connect', svc.network?.connect, true);
  expect('storage.readonly_fs', svc.storage?.readonly_fs, true);
  if (!svc.deployment?.rollback_alarms) report('deployment.rollback_alarms', 'seed', 'a rolling deployment needs rollback alarms');
  if (
    String(svc.variables?.['CORS_ORIGINS'] ?? '')
      .split(',')
      .some((o) => o.trim() === '*')
  ) {
    report('variables.CORS_ORIGINS', 'cors-wildcard', 'must name the front-end origins; "*" is for development only');
  }
}

export function checkEnvironmentSeed(env: EnvironmentManifest, report: Report): void {
  const expect = seedCheck(report);
  expect('network.vpc.cidr', env.network.vpc.cidr, seed.vpc);
  expect('network.vpc.subnets.public', env.network.vpc.subnets.public, seed.public);
  expect('network.vpc.subnets.private', env.network.vpc.subnets.private, seed.private);
  expect('observability.container_insights', env.observability?.container_insights, true);
}
