import { ECSClient } from '@aws-sdk/client-ecs';
import { deploy, DeployError, type DeployOptions } from './ecs-deploy';
import { startFakeEcs, type FakeEcsOptions, type Scenario } from '../../test/fake-ecs';
import { withImage } from './task-definition';

const NEW_IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/forum/users:abc1234';

async function run(scenario: Scenario, overrides: Partial<DeployOptions> = {}, fakeOptions: FakeEcsOptions = {}) {
  const fake = await startFakeEcs(scenario, fakeOptions);
  const client = new ECSClient({
    region: 'us-east-1',
    endpoint: fake.endpoint,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 5,
  });
  const log: string[] = [];
  try {
    const result = await deploy(client, {
      cluster: 'forum-production',
      service: 'users',
      image: NEW_IMAGE,
      timeoutMs: 2000,
      pollMs: 10,
      rollback: true,
      dryRun: false,
      log: (line) => log.push(line),
      ...overrides,
    }).catch((error: unknown) => error);
    return { result, fake, log, actions: fake.calls.map((c) => c.action) };
  } finally {
    client.destroy();
    await fake.close();
  }
}

describe('ECS deploy through the real SDK client', () => {
  it('when the rollout completes, then a new revision with the new image is live and the circuit breaker is on', async () => {
    const { result, fake, log, actions } = await run('completes');
    expect(result).toEqual({ outcome: 'completed', taskDefinition: expect.stringMatching(/forum-production-users:8$/) });
    expect(actions.slice(0, 4)).toEqual(['DescribeServices', 'DescribeTaskDefinition', 'RegisterTaskDefinition', 'UpdateService']);
    const update = fake.calls.find((c) => c.action === 'UpdateService')!.input;
    expect(update['deploymentConfiguration']).toEqual({
      minimumHealthyPercent: 100,
      maximumPercent: 200,
      deploymentCircuitBreaker: { enable: true, rollback: true },
    });
    const registered = fake.calls.find((c) => c.action === 'RegisterTaskDefinition')!.input;
    expect(registered['containerDefinitions']).toEqual([expect.objectContaining({ name: 'users', image: NEW_IMAGE, stopTimeout: 40 })]);
    expect(log.some((l) => l.includes('IN_PROGRESS running 1/2'))).toBe(true);
  });

  it('when the rollout completes, then only the service events since the update are printed, oldest first', async () => {
    const { log } = await run('completes');
    expect(log.filter((l) => l.startsWith('  event'))).toEqual([
      '  event 2026-12-01T10:00:10.000Z (service users) has started 2 tasks: (task 1a2b3c) (task 4d5e6f).',
      '  event 2026-12-01T10:00:20.000Z (service users) (deployment ecs-svc/4) deployment completed.',
      '  event 2026-12-01T10:00:21.000Z (service users) has reached a steady state.',
    ]);
  });

  it('when ECS lists the new deployment only after three polls, then the deploy waits for it and completes instead of reporting a rollback', async () => {
    const { result, log, actions } = await run('completes', {}, { listAfter: 3 });
    expect(result).toEqual({ outcome: 'completed', taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/forum-production-users:8' });
    expect(log.filter((l) => l.includes('waiting'))).toEqual(['  users: waiting for ECS to list the new deployment']);
    expect(actions.slice(actions.indexOf('UpdateService')).filter((a) => a === 'DescribeServices')).toHaveLength(5);
  });

  it('when a read after the new deployment was seen shows the service as before the update, then it is not taken for a rollback by ECS', async () => {
    const { result, log } = await run('completes', {}, { staleReads: [2] });
    expect(result).toEqual({ outcome: 'completed', taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/forum-production-users:8' });
    expect(log.filter((l) => l.startsWith('  users:'))).toEqual([
      '  users: IN_PROGRESS running 1/2, pending 1, failed tasks 0',
      '  users: deployment not listed in this read',
      '  users: COMPLETED running 2/2, pending 0, failed tasks 0',
    ]);
  });

  it('when ECS never lists the new deployment before the timeout, then the deploy times out instead of reporting a rollback by ECS', async () => {
    const { result, fake } = await run('completes', { timeoutMs: 200 }, { listAfter: 1_000_000 });
    expect(result).toEqual({
      outcome: 'timed-out',
      taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/forum-production-users:8',
      reason:
        'not completed after 200 ms (ECS did not list a deployment of arn:aws:ecs:us-east-1:123456789012:task-definition/forum-production-users:8)',
      rolledBackTo: fake.oldArn,
    });
  });

  it('when ECS rolls back by itself, then the new events and the stopped tasks of the new deployment are printed once each', async () => {
    const { log } = await run('ecs-rolls-back', {}, { listAfter: 1 });
    expect(log.slice(log.indexOf('updated users; following the rollout'))).toEqual([
      'updated users; following the rollout',
      '  users: waiting for ECS to list the new deployment',
      '  event 2026-12-01T10:00:10.000Z (service users) has started 2 tasks: (task 1a2b3c) (task 4d5e6f).',
      '  users: IN_PROGRESS running 1/2, pending 1, failed tasks 0',
      '  event 2026-12-01T10:00:20.000Z (service users) has stopped 2 running tasks: (task 1a2b3c) (task 4d5e6f).',
      '  event 2026-12-01T10:00:21.000Z (service users) (deployment ecs-svc/4) deployment failed: tasks failed to start. Rolling back to ecs-svc/1.',
      '  task 1a2b3c stopped: Essential container in task exited (users exit 1)',
      '  task 4d5e6f stopped: Essential container in task exited (users exit 137: OutOfMemoryError: Container killed due to memory usage)',
      '  users: deployment replaced',
    ]);
  });

  it('when the role may not list tasks, then the deploy still completes and says once that stopped tasks are not shown', async () => {
    const { result, log, actions } = await run('completes', {}, { deny: ['ListTasks'] });
    expect(result).toMatchObject({ outcome: 'completed' });
    expect(log.filter((l) => l.includes('stopped tasks'))).toEqual([
      '  (stopped tasks not shown: AccessDeniedException: not authorized to perform: ecs:ListTasks)',
    ]);
    expect(actions.filter((a) => a === 'ListTasks')).toHaveLength(1);
    expect(actions.filter((a) => a === 'DescribeServices')).toHaveLength(3);
  });

  it('when the service has 250 stopped tasks of earlier deployments, then the stopped tasks of the new one are still printed', async () => {
    const { log, actions } = await run('fails', {}, { oldStoppedTasks: 250 });
    expect(log.filter((l) => l.startsWith('  task') || l.includes('stopped tasks'))).toEqual([
      '  task 1a2b3c stopped: Essential container in task exited (users exit 1)',
      '  task 4d5e6f stopped: Essential container in task exited (users exit 137: OutOfMemoryError: Container killed due to memory usage)',
    ]);
    expect(actions.filter((a) => a === 'DescribeTasks')).toHaveLength(4);
  });

  it('when the rollout fails, then the service is put back on the previous task definition', async () => {
    const { result, fake, actions } = await run('fails');
    expect(result).toMatchObject({ outcome: 'failed', reason: expect.stringContaining('circuit breaker'), rolledBackTo: fake.oldArn });
    expect(actions.filter((a) => a === 'UpdateService')).toHaveLength(2);
    expect(fake.calls.filter((c) => c.action === 'UpdateService').at(-1)!.input['taskDefinition']).toBe(fake.oldArn);
  });

  it('when ECS rolls back by itself, then that is a failure and no second rollback is made', async () => {
    const { result, actions } = await run('ecs-rolls-back');
    expect(result).toMatchObject({ outcome: 'rolled-back-by-ecs', reason: expect.stringContaining('rolling back') });
    expect(actions.filter((a) => a === 'UpdateService')).toHaveLength(1);
  });

  it('when the rollout does not finish in time, then it times out and is rolled back', async () => {
    const started = Date.now();
    const { result, fake } = await run('stuck', { timeoutMs: 300 });
    expect(result).toMatchObject({ outcome: 'timed-out', rolledBackTo: fake.oldArn });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('when rollback is not asked for, then a failed rollout is left as it is', async () => {
    const { result, actions } = await run('fails', { rollback: false });
    expect(result).toMatchObject({ outcome: 'failed' });
    expect(result).not.toHaveProperty('rolledBackTo');
    expect(actions.filter((a) => a === 'UpdateService')).toHaveLength(1);
  });

  it('when the service does not exist, then a clear error and nothing is changed', async () => {
    const { result, actions } = await run('completes', { service: 'comments' });
    expect(result).toBeInstanceOf(DeployError);
    expect((result as Error).message).toBe('service comments not found in cluster forum-production (MISSING)');
    expect(actions).toEqual(['DescribeServices']);
  });

  it('when ECS throttles, then the SDK retries and the deploy goes on', async () => {
    const { result, actions } = await run('completes', {}, { throttleFirst: 2 });
    expect(result).toMatchObject({ outcome: 'completed' });
    expect(actions.slice(0, 3)).toEqual(['DescribeServices (throttled)', 'DescribeServices (throttled)', 'DescribeServices']);
  }, 20000);

  it('when the poll interval or the timeout is not a positive finite number, then nothing is asked of ECS', async () => {
    const nan = await run('completes', { pollMs: Number.NaN });
    expect((nan.result as Error).message).toBe('pollMs must be a positive number of milliseconds (got NaN)');
    expect(nan.actions).toEqual([]);
    const infinite = await run('completes', { timeoutMs: Number.POSITIVE_INFINITY });
    expect((infinite.result as Error).message).toBe('timeoutMs must be a positive number of milliseconds (got Infinity)');
    expect(infinite.result).toBeInstanceOf(DeployError);
  });

  it('when it is a dry run, then nothing is registered or updated', async () => {
    const { result, actions, log } = await run('completes', { dryRun: true });
    expect(result).toEqual({ outcome: 'dry-run', from: expect.stringContaining(':old'), to: NEW_IMAGE });
    expect(actions).toEqual(['DescribeServices', 'DescribeTaskDefinition']);
    expect(log[0]).toContain('dry run');
  });
});

describe('withImage', () => {
  it('when a described task definition is copied, then read-only fields are stripped and only the image changes', () => {
    const input = withImage(
      {
        taskDefinitionArn: 'arn:td:7',
        revision: 7,
        status: 'ACTIVE',
        requiresAttributes: [{ name: 'x' }],
        compatibilities: ['FARGATE'],
        registeredAt: new Date(),
        registeredBy: 'me',
        family: 'f',
        cpu: '256',
        memory: '512',
        containerDefinitions: [
          { name: 'app', image: 'old' },
          { name: 'sidecar', image: 'envoy' },
        ],
      },
      'new',
    );
    expect(input).toEqual({
      family: 'f',
      cpu: '256',
      memory: '512',
      containerDefinitions: [
        { name: 'app', image: 'new' },
        { name: 'sidecar', image: 'envoy' },
      ],
    });
    expect(() => withImage({ family: 'f', containerDefinitions: [{ name: 'app' }] }, 'x', 'web')).toThrow('has no container named web');
  });
});
