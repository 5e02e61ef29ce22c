import { ToolError } from '../core/command';
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type Deployment,
  type ECSClient,
  type Service,
} from '@aws-sdk/client-ecs';
import { rolloutReporter } from './ecs-progress';
import { imageOf, withImage } from './task-definition';

export interface DeployOptions {
  cluster: string;
  service: string;
  image: string;
  container?: string | undefined;
  /** How long the rollout may take before it counts as failed. */
  timeoutMs: number;
  pollMs: number;
  /** Roll back to the previous task definition when the rollout fails and ECS did not. */
  rollback: boolean;
  dryRun: boolean;
  log: (line: string) => void;
}

export type DeployResult =
  | { outcome: 'dry-run'; from: string | undefined; to: string }
  | { outcome: 'completed'; taskDefinition: string }
  | { outcome: 'failed' | 'rolled-back-by-ecs' | 'timed-out'; taskDefinition: string; reason: string; rolledBackTo?: string };

export type RolloutResult = Exclude<DeployResult, { outcome: 'dry-run' }>;

export class DeployError extends ToolError {}

export async function describeService(client: ECSClient, cluster: string, service: string): Promise<Service> {
  const { services, failures } = await client.send(new DescribeServicesCommand({ cluster, services: [service] }));
  const found = services?.find((s) => s.serviceName === service || s.serviceArn === service);
  if (!found || found.status === 'INACTIVE') {
    const reason = failures?.[0]?.reason ?? (found ? 'INACTIVE' : 'MISSING');
    throw new DeployError(`service ${service} not found in cluster ${cluster} (${reason})`);
  }
  return found;
}

/**
 * A rolling deployment of a new image: register a copy of the service's task definition with
 * that image, update the service with the circuit breaker and rollback on, then follow the
 * rollout itself (ECS's waiter reports a circuit-breaker rollback as "stable").
 */
export async function deploy(client: ECSClient, options: DeployOptions): Promise<DeployResult> {
  const { cluster, service, log } = options;
  // NaN would poll without pause and never time out; refused before anything changes.
  for (const [name, ms] of [
    ['pollMs', options.pollMs],
    ['timeoutMs', options.timeoutMs],
  ] as const) {
    if (!(Number.isFinite(ms) && ms > 0)) throw new DeployError(`${name} must be a positive number of milliseconds (got ${ms})`);
  }
  const current = await describeService(client, cluster, service);
  const previous = current.taskDefinition;
  if (!previous) throw new DeployError(`service ${service} has no task definition`);
  const { taskDefinition } = await client.send(new DescribeTaskDefinitionCommand({ taskDefinition: previous }));
  if (!taskDefinition) throw new DeployError(`task definition ${previous} not found`);
  const input = withImage(taskDefinition, options.image, options.container);
  const from = imageOf(taskDefinition, options.container);
  if (options.dryRun) {
    log(
      `dry run: ${service} in ${cluster} would move from ${previous} (${from}) to a new revision of ${taskDefinition.family} with ${options.image}`,
    );
    return { outcome: 'dry-run', from, to: options.image };
  }

  const registered = await client.send(new RegisterTaskDefinitionCommand(input));
  const next = registered.taskDefinition?.taskDefinitionArn;
  if (!next) throw new DeployError('RegisterTaskDefinition returned no ARN');
  log(`registered ${next} (${from} -> ${options.image})`);
  const requested = Date.now();
  const updated = await client.send(
    new UpdateServiceCommand({
      cluster,
      service,
      taskDefinition: next,
      deploymentConfiguration: {
        ...current.deploymentConfiguration,
        deploymentCircuitBreaker: { enable: true, rollback: true },
      },
    }),
  );
  const listed = updated.service?.deployments?.find((d) => d.taskDefinition === next);
  log(`updated ${service}; following the rollout`);

  const result = await followRollout(client, {
    ...options,
    taskDefinition: next,
    deploymentId: listed?.id,
    previousDeploymentId: current.deployments?.find((d) => d.status === 'PRIMARY')?.id,
    // ECS's own clock, so that a skewed local clock neither hides nor repeats events.
    since: listed?.createdAt ?? new Date(requested),
  });
  if (result.outcome === 'completed' || result.outcome === 'rolled-back-by-ecs' || !options.rollback) return result;
  log(`rolling back ${service} to ${previous}`);
  await client.send(new UpdateServiceCommand({ cluster, service, taskDefinition: previous }));
  return { ...result, rolledBackTo: previous };
}

type FollowOptions = Pick<DeployOptions, 'cluster' | 'service' | 'timeoutMs' | 'pollMs' | 'log'> & {
  taskDefinition: string;
  /** The new deployment's id, when UpdateService already named it. */
  deploymentId?: string | undefined;
  /** The primary deployment before the update: seen again, it is a stale read, not a rollback. */
  previousDeploymentId?: string | undefined;
  /** Events older than this are not about this rollout. */
  since: Date;
};

/**
 * Polls the service until the deployment of `taskDefinition` completes, fails, is replaced, or
 * time runs out. DescribeServices is eventually consistent: right after UpdateService it may
 * not list the new deployment yet, so a deployment only counts as replaced by ECS once it was
 * seen and a new primary deployment of another task definition took its place.
 */
export async function followRollout(client: ECSClient, options: FollowOptions): Promise<RolloutResult> {
  const { taskDefinition } = options;
  const deadline = Date.now() + options.timeoutMs;
  const report = rolloutReporter(client, options);
  let deploymentId = options.deploymentId;
  let seen = false;
  let last = '';
  for (;;) {
    const service = await describeService(client, options.cluster, options.service);
    report.events(service);
    const ours = service.deployments?.find((d) => d.taskDefinition === taskDefinition);
    const primary = service.deployments?.find((d) => d.status === 'PRIMARY');
    const replaced = primary !== undefined && primary.taskDefinition !== taskDefinition && primary.id !== options.previousDeploymentId;
    seen ||= ours !== undefined;
    deploymentId ??= ours?.id;
    if (deploymentId) await report.stoppedTasks(deploymentId);
    const state = !seen
      ? 'waiting for ECS to list the new deployment'
      : ours
        ? describe(ours)
        : replaced
          ? 'deployment replaced'
          : 'deployment not listed in this read';
    if (state !== last) options.log(`  ${options.service}: ${state}`);
    last = state;
    if (seen && replaced) {
      return {
        outcome: 'rolled-back-by-ecs',
        taskDefinition,
        reason: `ECS replaced the deployment: ${primary?.rolloutStateReason ?? 'circuit breaker rollback'}`,
      };
    }
    if (ours?.rolloutState === 'FAILED') return { outcome: 'failed', taskDefinition, reason: ours.rolloutStateReason ?? 'rollout failed' };
    if (ours?.rolloutState === 'COMPLETED' && ours.runningCount === ours.desiredCount && (service.deployments?.length ?? 0) === 1) {
      return { outcome: 'completed', taskDefinition };
    }
    if (Date.now() >= deadline) {
      const reason = seen ? state : `ECS did not list a deployment of ${taskDefinition}`;
      return { outcome: 'timed-out', taskDefinition, reason: `not completed after ${options.timeoutMs} ms (${reason})` };
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollMs));
  }
}

function describe(deployment: Deployment): string {
  return `${deployment.rolloutState ?? 'UNKNOWN'} running ${deployment.runningCount ?? 0}/${deployment.desiredCount ?? 0}, pending ${deployment.pendingCount ?? 0}, failed tasks ${deployment.failedTasks ?? 0}`;
}
