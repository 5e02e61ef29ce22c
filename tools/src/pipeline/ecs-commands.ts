import { ECSClient } from '@aws-sdk/client-ecs';
import { defineCommand } from '../core/command';
import { deploy, DeployError } from './ecs-deploy';
import { verifyService } from './ecs-verify';

const write = (line: string) => process.stdout.write(`${line}\n`);

function client(): ECSClient {
  if (!process.env['AWS_REGION'] && !process.env['AWS_DEFAULT_REGION']) throw new DeployError('no AWS region: set AWS_REGION');
  return new ECSClient({ maxAttempts: 8 });
}

/** Turns the SDK's credential errors into one line a person can act on. */
async function withAws<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const name = (error as { name?: string }).name ?? '';
    if (name === 'CredentialsProviderError' || /credential/i.test((error as Error).message)) {
      throw new DeployError('no AWS credentials: set AWS_PROFILE, or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or run with a role (OIDC in CI)');
    }
    throw error;
  }
}

const target = {
  cluster: { type: 'string', required: true, doc: 'ECS cluster name or ARN' },
  service: { type: 'string', required: true, doc: 'ECS service name or ARN' },
} as const;

export const deployCommand = defineCommand({
  name: 'deploy',
  summary: 'rolling ECS deployment of a new image, followed to the end',
  description:
    'Rolling ECS deployment of a new image, followed until it completes; rolls back on failure.\n' +
    'Only for services whose task definitions the pipeline owns, never for a Copilot-owned environment.',
  options: {
    ...target,
    image: { type: 'string', required: true, doc: 'the image URI to run' },
    container: { type: 'string', doc: 'the container whose image changes (default: the first)' },
    timeout: { type: 'number', default: 900, min: 1, max: 86400, unit: 'seconds', doc: 'how long the rollout may take' },
    poll: { type: 'number', default: 10, min: 0.01, max: 300, unit: 'seconds', doc: 'time between two looks at the rollout' },
    'no-rollback': { type: 'boolean', doc: 'leave a failed rollout as it is' },
    'dry-run': { type: 'boolean', doc: 'say what would change, change nothing' },
  },
  run: async (values) => {
    const result = await withAws(() =>
      deploy(client(), {
        cluster: values.cluster,
        service: values.service,
        image: values.image,
        container: values.container,
        timeoutMs: values.timeout * 1000,
        pollMs: values.poll * 1000,
        rollback: !values['no-rollback'],
        dryRun: values['dry-run'],
        log: write,
      }),
    );
    write(
      `deploy ${values.service}: ${result.outcome}${'reason' in result ? ` (${result.reason})` : ''}${'rolledBackTo' in result && result.rolledBackTo ? `; rolled back to ${result.rolledBackTo}` : ''}`,
    );
    if (result.outcome !== 'completed' && result.outcome !== 'dry-run') process.exitCode = 1;
  },
});

export const verifyCommand = defineCommand({
  name: 'verify',
  summary: 'rollout completed, running == desired, expected task definition live',
  description: 'Checks rollout state, running == desired, and the live task definition.',
  options: { ...target, 'task-definition': { type: 'string', doc: 'the task definition ARN that must be live' } },
  run: async (values) => {
    const result = await withAws(() =>
      verifyService(client(), { cluster: values.cluster, service: values.service, taskDefinition: values['task-definition'] }),
    );
    for (const check of result.checks) write(`${check.ok ? 'ok  ' : 'FAIL'} ${values.service} ${check.name}: ${check.detail}`);
    if (!result.ok) process.exitCode = 1;
  },
});
