import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand } from '../core/command';
import { packageCommand, packageImages, type PackageOptions } from './package';

describe('package stage', () => {
  const dir = mkdtempSync(join(tmpdir(), 'forum-package-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const options = (overrides: Partial<PackageOptions> = {}) => {
    const commands: string[] = [];
    return {
      commands,
      options: {
        registry: '123456789012.dkr.ecr.us-east-1.amazonaws.com',
        repositoryPrefix: 'forum',
        tag: 'abc1234',
        services: ['users', 'posts'],
        output: join(dir, 'imagedefinitions.json'),
        dryRun: false,
        run: (command: string, args: string[]) => {
          commands.push(`${command} ${args.join(' ')}`);
          return 0;
        },
        log: () => undefined,
        ...overrides,
      },
    };
  };

  it('when packaging, then each service is built from the shared Dockerfile, pushed with the commit tag, and listed for CodePipeline', () => {
    const { commands, options: o } = options();
    packageImages(o);
    expect(commands).toEqual([
      'docker build --build-arg SERVICE=users --tag 123456789012.dkr.ecr.us-east-1.amazonaws.com/forum/users:abc1234 .',
      'docker push 123456789012.dkr.ecr.us-east-1.amazonaws.com/forum/users:abc1234',
      'docker build --build-arg SERVICE=posts --tag 123456789012.dkr.ecr.us-east-1.amazonaws.com/forum/posts:abc1234 .',
      'docker push 123456789012.dkr.ecr.us-east-1.amazonaws.com/forum/posts:abc1234',
    ]);
    expect(JSON.parse(readFileSync(o.output, 'utf8'))).toEqual([
      { name: 'users', imageUri: '123456789012.dkr.ecr.us-east-1.amazonaws.com/forum/users:abc1234' },
      { name: 'posts', imageUri: '123456789012.dkr.ecr.us-east-1.amazonaws.com/forum/posts:abc1234' },
    ]);
  });

  it('when a build fails, then the stage stops with the service named and pushes nothing after it', () => {
    const { commands, options: o } = options();
    o.run = (command, args) => {
      commands.push(`${command} ${args[0]}`);
      return args[0] === 'build' ? 1 : 0;
    };
    expect(() => packageImages(o)).toThrow('docker build failed for users');
    expect(commands).toEqual(['docker build']);
  });

  it('when it is a dry run, then nothing runs but the image definitions are written', () => {
    const { commands, options: o } = options({ dryRun: true, services: ['threads'] });
    expect(packageImages(o)).toEqual([{ name: 'threads', imageUri: expect.stringMatching(/forum\/threads:abc1234$/) }]);
    expect(commands).toEqual([]);
  });

  it("when nothing is affected (--services ''), then no image is built and the definitions are empty", async () => {
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const output = join(dir, 'none.json');
    await runCommand(packageCommand, ['--registry', 'r.example', '--tag', 't', '--services', '', '--output', output]);
    expect(JSON.parse(readFileSync(output, 'utf8'))).toEqual([]);
    jest.restoreAllMocks();
  });

  it('when required options are missing or a service is unknown, then the message says so', async () => {
    await expect(runCommand(packageCommand, ['--tag', 't'])).rejects.toThrow('missing --registry');
    await expect(runCommand(packageCommand, ['--registry', 'r', '--tag', 't', '--services', 'comments'])).rejects.toThrow(
      'unknown service(s): comments',
    );
  });
});
