import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Container, Deployment, Service, ServiceEvent, Task, TaskDefinition } from '@aws-sdk/client-ecs';

export type Scenario = 'completes' | 'fails' | 'ecs-rolls-back' | 'stuck';

export interface FakeEcsOptions {
  /** Answer the first N calls with a ThrottlingException. */
  throttleFirst?: number;
  /** After UpdateService, N DescribeServices calls still show the service as it was (eventual consistency). */
  listAfter?: number;
  /** DescribeServices calls after UpdateService (1 is the first) that show the service as it was. */
  staleReads?: number[];
  /** Actions answered with AccessDeniedException, as for a role that lacks them. */
  deny?: string[];
  /** Stopped tasks of the old deployment kept by ECS, listed before the new deployment's (default 1). */
  oldStoppedTasks?: number;
}

// On the wire timestamps are epoch seconds (AWS JSON 1.1); the SDK turns them into Dates.
type Wire<T> = Omit<T, 'createdAt' | 'updatedAt'> & { createdAt?: number };
type WireService = Omit<Service, 'deployments' | 'events'> & { deployments?: Wire<Deployment>[]; events?: Wire<ServiceEvent>[] };

/** The fake's clock: fixed, so the printed event times are literal. UpdateService happens at 10:00:00. */
export const UPDATE_TIME = Date.UTC(2026, 11, 1, 10, 0, 0) / 1000;

/**
 * A stand-in ECS endpoint speaking the AWS JSON 1.1 protocol, so the real SDK client (with its
 * serialisation, error parsing and retries) runs against it. It keeps services, task
 * definitions, deployments, service events and tasks, and moves a new deployment along a
 * scenario, one step per DescribeServices call.
 */
export async function startFakeEcs(scenario: Scenario, options: FakeEcsOptions = {}) {
  const calls: { action: string; input: Record<string, unknown> }[] = [];
  const family = 'forum-production-users';
  const oldArn = `arn:aws:ecs:us-east-1:123456789012:task-definition/${family}:7`;
  const taskArn = (id: string) => `arn:aws:ecs:us-east-1:123456789012:task/forum-production/${id}`;
  const taskDefinitions = new Map<string, TaskDefinition>([
    [
      oldArn,
      {
        taskDefinitionArn: oldArn,
        family,
        revision: 7,
        status: 'ACTIVE',
        requiresAttributes: [{ name: 'com.amazonaws.ecs.capability.logging-driver.awslogs' }],
        compatibilities: ['EC2', 'FARGATE'],
        registeredBy: 'arn:aws:iam::123456789012:role/copilot',
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        cpu: '256',
        memory: '512',
        executionRoleArn: 'arn:aws:iam::123456789012:role/exec',
        containerDefinitions: [
          { name: 'users', image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/forum/users:old', essential: true, stopTimeout: 40 },
        ],
      },
    ],
  ]);
  const service: WireService = {
    serviceName: 'users',
    serviceArn: 'arn:aws:ecs:us-east-1:123456789012:service/forum-production/users',
    status: 'ACTIVE',
    taskDefinition: oldArn,
    desiredCount: 2,
    deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 200 },
    deployments: [
      {
        id: 'ecs-svc/1',
        status: 'PRIMARY',
        taskDefinition: oldArn,
        desiredCount: 2,
        runningCount: 2,
        pendingCount: 0,
        rolloutState: 'COMPLETED',
        createdAt: UPDATE_TIME - 86400,
      },
    ],
    // Newest first, as ECS lists them. This one predates the update and is never news.
    events: [{ id: 'event-0', createdAt: UPDATE_TIME - 3600, message: '(service users) has reached a steady state.' }],
  };
  // A task of the old deployment stopped by scaling: not the new deployment's business.
  const tasks: Wire<Task>[] = Array.from({ length: options.oldStoppedTasks ?? 1 }, (_, i) =>
    stoppedTask(taskArn(`9f8e${i.toString(16).padStart(4, '0')}`), 'ecs-svc/1', oldArn, 'Scaling activity initiated by (deployment ecs-svc/1)', [
      { name: 'users', exitCode: 0 },
    ]),
  );
  let throttles = options.throttleFirst ?? 0;
  let describes = 0;
  let before = '';
  let steps = 0;

  const event = (seconds: number, message: string) => {
    service.events!.unshift({ id: `event-${service.events!.length}`, createdAt: UPDATE_TIME + seconds, message });
  };
  const stop = (id: string, ours: Wire<Deployment>, reason: string, containers: Container[]) => {
    tasks.push(stoppedTask(taskArn(id), ours.id!, ours.taskDefinition!, reason, containers));
  };

  const advance = () => {
    const ours = service.deployments?.find((d) => d.status === 'PRIMARY' && d.taskDefinition !== oldArn);
    if (!ours) return;
    steps += 1;
    if (steps === 1) event(10, '(service users) has started 2 tasks: (task 1a2b3c) (task 4d5e6f).');
    if (scenario === 'stuck' || steps < 2) {
      ours.runningCount = 1;
      ours.pendingCount = 1;
      return;
    }
    if (steps > 2) return;
    if (scenario === 'completes') {
      Object.assign(ours, { rolloutState: 'COMPLETED', runningCount: 2, pendingCount: 0 });
      service.deployments = [ours];
      event(20, `(service users) (deployment ${ours.id}) deployment completed.`);
      event(21, '(service users) has reached a steady state.');
      return;
    }
    stop('1a2b3c', ours, 'Essential container in task exited', [{ name: 'users', exitCode: 1 }]);
    stop('4d5e6f', ours, 'Essential container in task exited', [
      { name: 'users', exitCode: 137, reason: 'OutOfMemoryError: Container killed due to memory usage' },
    ]);
    event(20, '(service users) has stopped 2 running tasks: (task 1a2b3c) (task 4d5e6f).');
    if (scenario === 'fails') {
      Object.assign(ours, {
        rolloutState: 'FAILED',
        rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.',
        failedTasks: 2,
        runningCount: 0,
        pendingCount: 0,
      });
      event(21, `(service users) (deployment ${ours.id}) deployment failed: tasks failed to start.`);
    } else {
      // The circuit breaker rolled back: a new primary deployment of the old task definition.
      const rollback: Wire<Deployment> = {
        id: 'ecs-svc/3',
        status: 'PRIMARY',
        taskDefinition: oldArn,
        desiredCount: 2,
        runningCount: 2,
        rolloutState: 'COMPLETED',
        rolloutStateReason: 'ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/1.',
      };
      service.deployments = [rollback];
      service.taskDefinition = oldArn;
      event(21, `(service users) (deployment ${ours.id}) deployment failed: tasks failed to start. Rolling back to ecs-svc/1.`);
    }
  };

  const handlers: Record<string, (input: Record<string, unknown>) => unknown> = {
    DescribeServices: (input) => {
      const name = (input['services'] as string[])[0];
      if (name !== service.serviceName) return { services: [], failures: [{ arn: name, reason: 'MISSING' }] };
      describes += 1;
      if (before && (describes <= (options.listAfter ?? 0) || options.staleReads?.includes(describes))) {
        return { services: [JSON.parse(before)], failures: [] };
      }
      advance();
      return { services: [service], failures: [] };
    },
    DescribeTaskDefinition: (input) => ({ taskDefinition: taskDefinitions.get(input['taskDefinition'] as string) }),
    RegisterTaskDefinition: (input) => {
      const revision = taskDefinitions.size + 7;
      const arn = `arn:aws:ecs:us-east-1:123456789012:task-definition/${input['family']}:${revision}`;
      const registered = { ...(input as TaskDefinition), taskDefinitionArn: arn, revision, status: 'ACTIVE' as const };
      taskDefinitions.set(arn, registered);
      return { taskDefinition: registered };
    },
    UpdateService: (input) => {
      const arn = input['taskDefinition'] as string;
      before = JSON.stringify(service);
      describes = 0;
      service.deployments = [
        {
          id: `ecs-svc/${calls.length}`,
          status: 'PRIMARY',
          taskDefinition: arn,
          desiredCount: 2,
          runningCount: 0,
          pendingCount: 2,
          rolloutState: 'IN_PROGRESS',
          createdAt: UPDATE_TIME,
        },
        ...(service.deployments ?? []).filter((d) => d.taskDefinition !== arn).map((d) => ({ ...d, status: 'ACTIVE' })),
      ];
      service.taskDefinition = arn;
      if (input['deploymentConfiguration']) service.deploymentConfiguration = input['deploymentConfiguration'] as Service['deploymentConfiguration'];
      steps = 0;
      return { service };
    },
    ListTasks: (input) => {
      // ECS: "When you specify startedBy as the filter, it must be the only filter that you use."
      if (input['startedBy'] && Object.keys(input).some((k) => !['startedBy', 'cluster', 'maxResults', 'nextToken'].includes(k))) {
        throw new EcsError('InvalidParameterException', 'startedBy must be the only filter');
      }
      const status = input['desiredStatus'] ?? 'RUNNING';
      const matching = tasks.filter(
        (t) =>
          t.desiredStatus === status &&
          (!input['serviceName'] || input['serviceName'] === service.serviceName) &&
          (!input['startedBy'] || t.startedBy === input['startedBy']),
      );
      const from = Number(input['nextToken'] ?? 0);
      const size = Math.min(Number(input['maxResults'] ?? 100), 100);
      const page = matching.slice(from, from + size).map((t) => t.taskArn);
      return { taskArns: page, ...(from + size < matching.length ? { nextToken: String(from + size) } : {}) };
    },
    DescribeTasks: (input) => {
      const arns = input['tasks'] as string[];
      if (arns.length > 100) throw new EcsError('InvalidParameterException', 'Tasks cannot be longer than 100 elements');
      return {
        tasks: tasks.filter((t) => arns.includes(t.taskArn!)),
        failures: arns.filter((a) => !tasks.some((t) => t.taskArn === a)).map((arn) => ({ arn, reason: 'MISSING' })),
      };
    },
  };

  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const action = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
      const input = JSON.parse(body || '{}') as Record<string, unknown>;
      const reply = (status: number, payload: unknown) =>
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(payload));
      if (throttles > 0) {
        throttles -= 1;
        calls.push({ action: `${action} (throttled)`, input });
        return reply(400, { __type: 'ThrottlingException', message: 'Rate exceeded' });
      }
      calls.push({ action, input });
      const handler = handlers[action];
      if (options.deny?.includes(action)) return reply(400, { __type: 'AccessDeniedException', message: `not authorized to perform: ecs:${action}` });
      if (!handler) return reply(400, { __type: 'InvalidParameterException', message: `unsupported action ${action}` });
      try {
        return reply(200, handler(input));
      } catch (error) {
        return reply(400, { __type: (error as EcsError).type, message: (error as Error).message });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    service,
    oldArn,
    taskDefinitions,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

class EcsError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

function stoppedTask(taskArn: string, startedBy: string, taskDefinitionArn: string, stoppedReason: string, containers: Container[]): Wire<Task> {
  return {
    taskArn,
    startedBy,
    taskDefinitionArn,
    lastStatus: 'STOPPED',
    desiredStatus: 'STOPPED',
    stopCode: 'EssentialContainerExited',
    stoppedReason,
    containers: containers.map((c) => ({ ...c, taskArn, lastStatus: 'STOPPED' })),
  };
}
