import { runCommand } from '../core/command';
import { deployCommand, verifyCommand } from './ecs-commands';
import { startFakeEcs, type Scenario } from '../../test/fake-ecs';

type FakeEcs = Awaited<ReturnType<typeof startFakeEcs>>;

describe('deploy and verify commands', () => {
  const saved = { ...process.env };
  let out: string[];
  beforeEach(() => {
    out = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      out.push(String(chunk));
      return true;
    });
    process.exitCode = undefined;
  });
  afterEach(() => {
    jest.restoreAllMocks();
    process.env = { ...saved };
    process.exitCode = undefined;
  });

  /** Runs `test` with the SDK's environment pointed at a fake ECS in the given scenario. */
  const withFake = async (scenario: Scenario, test: (fake: FakeEcs) => Promise<void>) => {
    const fake = await startFakeEcs(scenario);
    Object.assign(process.env, {
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_ECS: fake.endpoint,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    });
    try {
      await test(fake);
    } finally {
      await fake.close();
    }
  };

  it('when a deploy completes, then it prints the progress and a one-line result, exit code 0', async () => {
    await withFake('completes', async () => {
      await runCommand(deployCommand, ['--cluster', 'forum-production', '--service', 'users', '--image', 'repo/users:1', '--poll', '0.01']);
      expect(out.join('')).toMatch(/following the rollout[\s\S]*deploy users: completed/);
      expect(process.exitCode).toBeUndefined();
    });
  });

  it('when a rollout fails, then the new service events and each stopped task with its reason are printed once, then the rollback and exit code 1', async () => {
    await withFake('fails', async () => {
      await runCommand(deployCommand, ['--cluster', 'forum-production', '--service', 'users', '--image', 'repo/users:1', '--poll', '0.01']);
      expect(out.join('')).toBe(
        [
          'registered arn:aws:ecs:us-east-1:123456789012:task-definition/forum-production-users:8 (123456789012.dkr.ecr.us-east-1.amazonaws.com/forum/users:old -> repo/users:1)',
          'updated users; following the rollout',
          '  event 2026-12-01T10:00:10.000Z (service users) has started 2 tasks: (task 1a2b3c) (task 4d5e6f).',
          '  users: IN_PROGRESS running 1/2, pending 1, failed tasks 0',
          '  event 2026-12-01T10:00:20.000Z (service users) has stopped 2 running tasks: (task 1a2b3c) (task 4d5e6f).',
          '  event 2026-12-01T10:00:21.000Z (service users) (deployment ecs-svc/4) deployment failed: tasks failed to start.',
          '  task 1a2b3c stopped: Essential container in task exited (users exit 1)',
          '  task 4d5e6f stopped: Essential container in task exited (users exit 137: OutOfMemoryError: Container killed due to memory usage)',
          '  users: FAILED running 0/2, pending 0, failed tasks 2',
          'rolling back users to arn:aws:ecs:us-east-1:123456789012:task-definition/forum-production-users:7',
          'deploy users: failed (ECS deployment circuit breaker: tasks failed to start.); rolled back to arn:aws:ecs:us-east-1:123456789012:task-definition/forum-production-users:7',
          '',
        ].join('\n'),
      );
      expect(process.exitCode).toBe(1);
    });
  });

  it.each([
    ['--timeout=abc', '--timeout must be a number of seconds from 1 to 86400 (got "abc")'],
    ['--timeout=0', '--timeout must be a number of seconds from 1 to 86400 (got "0")'],
    ['--timeout=-1', '--timeout must be a number of seconds from 1 to 86400 (got "-1")'],
    ['--timeout=Infinity', '--timeout must be a number of seconds from 1 to 86400 (got "Infinity")'],
    ['--timeout=', '--timeout must be a number of seconds from 1 to 86400 (got "")'],
    ['--timeout=86401', '--timeout must be a number of seconds from 1 to 86400 (got "86401")'],
    ['--poll=abc', '--poll must be a number of seconds from 0.01 to 300 (got "abc")'],
    ['--poll=0', '--poll must be a number of seconds from 0.01 to 300 (got "0")'],
    ['--poll=-1', '--poll must be a number of seconds from 0.01 to 300 (got "-1")'],
    ['--poll=Infinity', '--poll must be a number of seconds from 0.01 to 300 (got "Infinity")'],
    ['--poll=', '--poll must be a number of seconds from 0.01 to 300 (got "")'],
    ['--poll=1e3', '--poll must be a number of seconds from 0.01 to 300 (got "1e3")'],
  ])('when a deploy is given %s, then it stops before calling AWS with a message naming the option and the value', async (option, message) => {
    await withFake('completes', async (fake) => {
      await expect(
        runCommand(deployCommand, ['--cluster', 'forum-production', '--service', 'users', '--image', 'repo/users:1', option]),
      ).rejects.toThrow(message);
      expect(fake.calls).toEqual([]);
    });
  });

  it('when verifying a service mid-rollout, then each failing check is listed and the exit code is 1', async () => {
    await withFake('stuck', async (fake) => {
      await runCommand(verifyCommand, ['--cluster', 'forum-production', '--service', 'users', '--task-definition', fake.oldArn]);
      expect(out.join('')).toContain('ok   users task definition');
      expect(process.exitCode).toBeUndefined();
      fake.service.deployments!.push({ status: 'ACTIVE', taskDefinition: 'other', rolloutState: 'IN_PROGRESS' });
      await runCommand(verifyCommand, ['--cluster', 'forum-production', '--service', 'users']);
      expect(out.join('')).toContain('FAIL users rollout: COMPLETED, 2 deployment(s)');
      expect(process.exitCode).toBe(1);
    });
  });

  it('when options, region or credentials are missing, then the message says what to set', async () => {
    await expect(runCommand(deployCommand, ['--cluster', 'c'])).rejects.toThrow('missing --service, --image');
    delete process.env['AWS_REGION'];
    delete process.env['AWS_DEFAULT_REGION'];
    await expect(runCommand(verifyCommand, ['--cluster', 'c', '--service', 's'])).rejects.toThrow('no AWS region: set AWS_REGION');
    await withFake('completes', async (fake) => {
      for (const name of [
        'AWS_ACCESS_KEY_ID',
        'AWS_SECRET_ACCESS_KEY',
        'AWS_SESSION_TOKEN',
        'AWS_PROFILE',
        'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
        'AWS_CONTAINER_CREDENTIALS_FULL_URI',
        'AWS_WEB_IDENTITY_TOKEN_FILE',
      ])
        delete process.env[name];
      // No instance metadata lookup either: the SDK's chain must end here, at once.
      Object.assign(process.env, { AWS_EC2_METADATA_DISABLED: 'true', AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent' });
      await expect(runCommand(verifyCommand, ['--cluster', 'c', '--service', 's'])).rejects.toThrow(
        'no AWS credentials: set AWS_PROFILE, or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or run with a role (OIDC in CI)',
      );
      expect(fake.calls).toEqual([]);
    });
  });

  it('when --help is given, then the usage is printed', async () => {
    await runCommand(deployCommand, ['--help']);
    expect(out.join('')).toContain('Usage: node dist/tools/main.js deploy [options]');
    expect(out.join('')).toMatch(/--poll <n> +time between two looks at the rollout \(0\.01-300 seconds\) \[10\]/);
  });
});
