import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Deployment, Service, TaskDefinition } from '@aws-sdk/client-ecs';

export type Scenario = 'completes' | 'fails' | 'ecs-rolls-back' | 'stuck';

/**
 * A stand-in ECS endpoint speaking the AWS JSON 1.1 protocol, so the real SDK client (with its
 * serialisation, error parsing and retries) runs against it. It keeps services, task
 * definitions and deployments, and moves a new deployment along a scenario, one step per
 * DescribeServices call.
 */
export async function startFakeEcs(scenario: Scenario, options: { throttleFirst?: number } = {}) {
  const calls: { action: string; input: Record<string, unknown> }[] = [];
  const family = 'forum-production-users';
  const oldArn = `arn:aws:ecs:us-east-1:123456789012:task-definition/${family}:7`;
  const taskDefinitions = new Map<string, TaskDefinition>([
    [oldArn, {
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
      containerDefinitions: [{ name: 'users', image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/forum/users:old', essential: true, stopTimeout: 40 }],
    }],
  ]);
  const service: Service = {
    serviceName: 'users',
    serviceArn: 'arn:aws:ecs:us-east-1:123456789012:service/forum-production/users',
    status: 'ACTIVE',
    taskDefinition: oldArn,
    desiredCount: 2,
    deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 200 },
    deployments: [{ id: 'ecs-svc/1', status: 'PRIMARY', taskDefinition: oldArn, desiredCount: 2, runningCount: 2, pendingCount: 0, rolloutState: 'COMPLETED' }],
  };
  let throttles = options.throttleFirst ?? 0;
  let steps = 0;

  const advance = () => {
    const ours = service.deployments?.find((d) => d.status === 'PRIMARY' && d.taskDefinition !== oldArn);
    if (!ours) return;
    steps += 1;
    if (scenario === 'stuck' || steps < 2) {
      ours.runningCount = 1;
      ours.pendingCount = 1;
      return;
    }
    if (scenario === 'completes') {
      Object.assign(ours, { rolloutState: 'COMPLETED', runningCount: 2, pendingCount: 0 });
      service.deployments = [ours];
    } else if (scenario === 'fails') {
      Object.assign(ours, { rolloutState: 'FAILED', rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.', failedTasks: 3 });
    } else {
      // The circuit breaker rolled back: a new primary deployment of the old task definition.
      const rollback: Deployment = { id: 'ecs-svc/3', status: 'PRIMARY', taskDefinition: oldArn, desiredCount: 2, runningCount: 2, rolloutState: 'COMPLETED', rolloutStateReason: 'ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/1.' };
      service.deployments = [rollback];
      service.taskDefinition = oldArn;
    }
  };

  const handlers: Record<string, (input: Record<string, unknown>) => unknown> = {
    DescribeServices: (input) => {
      const name = (input['services'] as string[])[0];
      if (name !== service.serviceName) return { services: [], failures: [{ arn: name, reason: 'MISSING' }] };
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
      service.deployments = [
        { id: `ecs-svc/${calls.length}`, status: 'PRIMARY', taskDefinition: arn, desiredCount: 2, runningCount: 0, pendingCount: 2, rolloutState: 'IN_PROGRESS' },
        ...(service.deployments ?? []).filter((d) => d.taskDefinition !== arn).map((d) => ({ ...d, status: 'ACTIVE' })),
      ];
      service.taskDefinition = arn;
      if (input['deploymentConfiguration']) service.deploymentConfiguration = input['deploymentConfiguration'] as Service['deploymentConfiguration'];
      steps = 0;
      return { service };
    },
  };

  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const action = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
      const input = JSON.parse(body || '{}') as Record<string, unknown>;
      const reply = (status: number, payload: unknown) => res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(payload));
      if (throttles > 0) {
        throttles -= 1;
        calls.push({ action: `${action} (throttled)`, input });
        return reply(400, { __type: 'ThrottlingException', message: 'Rate exceeded' });
      }
      calls.push({ action, input });
      const handler = handlers[action];
      if (!handler) return reply(400, { __type: 'InvalidParameterException', message: `unsupported action ${action}` });
      return reply(200, handler(input));
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
