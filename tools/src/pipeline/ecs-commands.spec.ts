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
    Object.assign(process.env, { AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_ECS: fake.endpoint, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' });
    try {
      await test(fake);
    } finally {
      await fake.close();
    }
  };

  it('when a deploy completes, then it prints the progress and a one-line result, exit code 0', async () => {
    await withFake('completes', async () => {
        await deployCommand(['--cluster', 'forum-production', '--service', 'users', '--image', 'repo/users:1', '--poll', '0.01']);
        expect(out.join('')).toMatch(/following the rollout[\s\S]*deploy users: completed/);
        expect(process.exitCode).toBeUndefined();
    });
  });

  it('when a deploy fails, then the exit code is 1 and the rollback is reported', async () => {
    await withFake('fails', async (fake) => {
        await deployCommand(['--cluster', 'forum-production', '--service', 'users', '--image', 'repo/users:1', '--poll', '0.01']);
        expect(out.join('')).toContain(`deploy users: failed (ECS deployment circuit breaker: tasks failed to start.); rolled back to ${fake.oldArn}`);
        expect(process.exitCode).toBe(1);
    });
  });

  it('when verifying a service mid-rollout, then each failing check is listed and the exit code is 1', async () => {
    await withFake('stuck', async (fake) => {
        await verifyCommand(['--cluster', 'forum-production', '--service', 'users', '--task-definition', fake.oldArn]);
        expect(out.join('')).toContain('ok   users task definition');
        expect(process.exitCode).toBeUndefined();
        fake.service.deployments!.push({ status: 'ACTIVE', taskDefinition: 'other', rolloutState: 'IN_PROGRESS' });
        await verifyCommand(['--cluster', 'forum-production', '--service', 'users']);
        expect(out.join('')).toContain('FAIL users rollout: COMPLETED, 2 deployment(s)');
        expect(process.exitCode).toBe(1);
    });
  });

  it('when options, region or credentials are missing, then the message says what to set', async () => {
    await expect(deployCommand(['--cluster', 'c'])).rejects.toThrow('missing --service, --image');
    delete process.env['AWS_REGION'];
    delete process.env['AWS_DEFAULT_REGION'];
    await expect(verifyCommand(['--cluster', 'c', '--service', 's'])).rejects.toThrow('no AWS region: set AWS_REGION');
    await expect(deployCommand(['--cluster', 'c', '--service', 's', '--image', 'i', '--timeout', 'soon'])).rejects.toThrow('--timeout must be a positive number');
  });

  it('when --help is given, then the usage is printed', async () => {
    await deployCommand(['--help']);
    expect(out.join('')).toContain('Usage: deploy --cluster <name>');
  });
});
