import { parseArgs } from 'node:util';
import { ECSClient } from '@aws-sdk/client-ecs';
import { deploy, DeployError } from './ecs-deploy';
import { verifyService } from './ecs-verify';

const usage = {
  deploy:
    'Usage: deploy --cluster <name> --service <name> --image <uri> [--container <name>] [--timeout <seconds>=900 (1-86400)] [--poll <seconds>=10 (0.01-300)] [--no-rollback] [--dry-run]\n' +
    'Rolling ECS deployment of a new image, followed until it completes; rolls back on failure.\n' +
    'Only for services whose task definitions the pipeline owns, never for a Copilot-owned environment.\n',
  verify: 'Usage: verify --cluster <name> --service <name> [--task-definition <arn>]\nChecks rollout state, running == desired, and the live task definition.\n',
};

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

function options(args: string[], spec: Record<string, { type: 'string' | 'boolean' }>, required: string[], help: string) {
  const values = parseArgs({ args, options: { ...spec, help: { type: 'boolean' } }, strict: true }).values as Record<string, string | boolean | undefined>;
  if (values['help']) {
    write(help);
    return undefined;
  }
  const missing = required.filter((name) => !values[name]);
  if (missing.length > 0) throw new DeployError(`missing ${missing.map((m) => `--${m}`).join(', ')}\n${help}`);
  return values;
}

// The numeric options, in seconds, and the range that makes sense for a rollout.
const durations = {
  timeout: { fallback: 900, min: 1, max: 86400 },
  poll: { fallback: 10, min: 0.01, max: 300 },
} as const;

/** A plain decimal number of seconds within its range; NaN, Infinity, 0, negatives and '' are refused. */
function seconds(values: Record<string, string | boolean | undefined>, name: keyof typeof durations): number {
  const { fallback, min, max } = durations[name];
  const raw = values[name];
  if (raw === undefined) return fallback;
  const value = typeof raw === 'string' && /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : NaN;
  if (!(value >= min && value <= max)) throw new DeployError(`--${name} must be a number of seconds from ${min} to ${max} (got "${raw}")`);
  return value;
}

export async function deployCommand(args: string[]): Promise<void> {
  const spec = { cluster: { type: 'string' }, service: { type: 'string' }, image: { type: 'string' }, container: { type: 'string' }, timeout: { type: 'string' }, poll: { type: 'string' }, 'no-rollback': { type: 'boolean' }, 'dry-run': { type: 'boolean' } } as const;
  const values = options(args, spec, ['cluster', 'service', 'image'], usage.deploy);
  if (!values) return;
  const timeout = seconds(values, 'timeout');
  const poll = seconds(values, 'poll');
  const result = await withAws(() =>
    deploy(client(), {
      cluster: String(values['cluster']),
      service: String(values['service']),
      image: String(values['image']),
      container: values['container'] as string | undefined,
      timeoutMs: timeout * 1000,
      pollMs: poll * 1000,
      rollback: !values['no-rollback'],
      dryRun: values['dry-run'] === true,
      log: write,
    }),
  );
  write(`deploy ${values['service']}: ${result.outcome}${'reason' in result ? ` (${result.reason})` : ''}${'rolledBackTo' in result && result.rolledBackTo ? `; rolled back to ${result.rolledBackTo}` : ''}`);
  if (result.outcome !== 'completed' && result.outcome !== 'dry-run') process.exitCode = 1;
}

export async function verifyCommand(args: string[]): Promise<void> {
  const spec = { cluster: { type: 'string' }, service: { type: 'string' }, 'task-definition': { type: 'string' } } as const;
  const values = options(args, spec, ['cluster', 'service'], usage.verify);
  if (!values) return;
  const result = await withAws(() =>
    verifyService(client(), { cluster: String(values['cluster']), service: String(values['service']), taskDefinition: values['task-definition'] as string | undefined }),
  );
  for (const check of result.checks) write(`${check.ok ? 'ok  ' : 'FAIL'} ${values['service']} ${check.name}: ${check.detail}`);
  if (!result.ok) process.exitCode = 1;
}
