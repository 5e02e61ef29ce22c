import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCommand } from '../core/command';
import { deployPlanCommand, formatPlan, planDeploy } from './deploy-plan';

const root = resolve(__dirname, '../../..');

/** A throwaway clone of this repository; each test commits its own history on top of it. */
describe('deploy plan over real git histories', () => {
  let repo: string;
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=test', ...args], { cwd: repo, encoding: 'utf8' }).trim();
  /** Commits a change to each file and returns the new head. */
  const commit = (...files: string[]) => {
    for (const file of files) appendFileSync(join(repo, file), file.endsWith('.ts') ? '\n// changed\n' : '\n# changed\n');
    git('commit', '-qam', `change ${files.join(', ')}`);
    return git('rev-parse', 'HEAD');
  };
  const plan = (base: string, head = git('rev-parse', 'HEAD')) => planDeploy(repo, { base, head, environment: 'production' });

  beforeAll(() => {
    repo = mkdtempSync(join(tmpdir(), 'forum-deploy-plan-'));
    execFileSync('git', ['clone', '-q', root, repo]);
    symlinkSync(join(root, 'node_modules'), join(repo, 'node_modules'));
  });
  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  it('when a push holds two commits (users, then posts), then both services are deployed, callees first, each tagged with the head', () => {
    const deployed = git('rev-parse', 'HEAD');
    commit('apps/users/src/users/users.service.ts');
    const head = commit('apps/posts/src/posts/posts.service.ts');
    const result = plan(deployed, head);
    expect(result).toMatchObject({ mode: 'range', deployEnvironment: false, services: ['users', 'posts'], pipelines: [] });
    expect(result.steps).toEqual([
      `copilot svc deploy --name users --env production --tag ${head}`,
      `copilot svc deploy --name posts --env production --tag ${head}`,
    ]);
    expect(formatPlan(result)).toBe(
      [
        `Deploy plan for production: ${deployed.slice(0, 12)}..${head.slice(0, 12)} (range)`,
        `  2 file(s) changed in ${deployed.slice(0, 12)}..${head.slice(0, 12)}: users, posts`,
        `  1. copilot svc deploy --name users --env production --tag ${head}`,
        `  2. copilot svc deploy --name posts --env production --tag ${head}`,
        '',
      ].join('\n'),
    );
  }, 60000);

  it('when only a service manifest changes, then that service alone is deployed', () => {
    const deployed = git('rev-parse', 'HEAD');
    commit('copilot/users/manifest.yml');
    expect(plan(deployed)).toMatchObject({ mode: 'range', deployEnvironment: false, services: ['users'] });
  }, 60000);

  it('when the Dockerfile changes, then every service is rebuilt and deployed', () => {
    const deployed = git('rev-parse', 'HEAD');
    commit('Dockerfile');
    expect(plan(deployed)).toMatchObject({ deployEnvironment: false, services: ['users', 'threads', 'posts'] });
  }, 60000);

  it('when the lockfile or the image script changes, then every service is deployed', () => {
    const deployed = git('rev-parse', 'HEAD');
    commit('tools/scripts/prune-production-modules.sh');
    expect(plan(deployed).services).toEqual(['users', 'threads', 'posts']);
  }, 60000);

  it('when the build options of the bundles or the warm-up of the compile cache change, then every service is deployed', () => {
    for (const file of ['tools/src/build/esbuild.config.ts', 'tools/scripts/warm-compile-cache.sh']) {
      const deployed = git('rev-parse', 'HEAD');
      commit(file);
      expect(plan(deployed).services).toEqual(['users', 'threads', 'posts']);
    }
  }, 60000);

  it('when an environment addon changes, then the environment is deployed first and no service', () => {
    const deployed = git('rev-parse', 'HEAD');
    const head = commit('copilot/environments/addons/vpc-endpoints.yml');
    const result = plan(deployed);
    expect(result).toMatchObject({ deployEnvironment: true, services: [] });
    expect(result.steps).toEqual(['copilot env deploy --name production']);
    commit('copilot/environments/production/manifest.yml', 'apps/threads/src/main.ts');
    expect(plan(head).steps).toEqual([
      'copilot env deploy --name production',
      `copilot svc deploy --name threads --env production --tag ${git('rev-parse', 'HEAD')}`,
    ]);
  }, 60000);

  it('when only documentation and tests change, then nothing is deployed', () => {
    const deployed = git('rev-parse', 'HEAD');
    commit('README.md', 'apps/users/src/users/users.routes.spec.ts', 'docs/performance.md');
    const result = plan(deployed);
    expect(result).toMatchObject({ mode: 'none', deployEnvironment: false, services: [], steps: [] });
    expect(formatPlan(result)).toContain('nothing to deploy');
  }, 60000);

  it('when a deploy failed and another push follows, then the base stays at the last success and the failed change is deployed too', () => {
    const lastSuccess = git('rev-parse', 'HEAD');
    commit('apps/threads/src/threads/threads.service.ts'); // its deploy failed: the deployed commit did not move
    commit('README.md');
    expect(plan(lastSuccess).services).toEqual(['threads']);
  }, 60000);

  it('when a lib changes, then exactly the services that use it are deployed', () => {
    const deployed = git('rev-parse', 'HEAD');
    commit('libs/service-client/src/service-client.ts');
    expect(plan(deployed).services).toEqual(['threads', 'posts']);
  }, 60000);

  it('when the pipeline manifest changes, then it is reported for copilot pipeline deploy', () => {
    const deployed = git('rev-parse', 'HEAD');
    commit('copilot/pipelines/forum-main/manifest.yml');
    expect(plan(deployed)).toMatchObject({ mode: 'range', services: [], pipelines: ['forum-main'] });
    expect(plan(deployed).steps).toEqual(['copilot pipeline deploy --name forum-main   (by hand: the pipeline manifest changed)']);
  }, 60000);

  it('when the head is older than what is deployed, then nothing is done', () => {
    const older = git('rev-parse', 'HEAD');
    const deployed = commit('apps/users/src/main.ts');
    expect(plan(deployed, older)).toMatchObject({ mode: 'none', services: [], reason: expect.stringContaining('never goes backwards') });
    expect(plan(deployed, deployed)).toMatchObject({ mode: 'none', reason: `${deployed.slice(0, 12)} is already deployed` });
  }, 60000);

  it('when no deployed commit is known, or it is not in the history, then everything is deployed', () => {
    const emptyTree = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';
    for (const base of ['', emptyTree, 'f'.repeat(40)]) {
      expect(plan(base)).toMatchObject({ mode: 'full', deployEnvironment: true, services: ['users', 'threads', 'posts'] });
    }
    const main = git('rev-parse', 'HEAD');
    git('checkout', '-q', '-b', 'rewritten', 'HEAD~1');
    const elsewhere = commit('README.md');
    git('checkout', '-q', main);
    expect(plan(elsewhere, main)).toMatchObject({ mode: 'full', reason: expect.stringContaining('not in the history') });
  }, 60000);

  it('when the head is not a commit, then the plan refuses with a clear message', () => {
    expect(() => plan('', 'no-such-rev')).toThrow('head no-such-rev is not a commit of this repository');
  });

  it('when asked for GitHub outputs, then environment, services, pipelines and mode are appended', async () => {
    const out = join(repo, 'github-output');
    commit('README.md');
    const cwd = process.cwd();
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      process.chdir(repo);
      await runCommand(deployPlanCommand, ['--base', git('rev-parse', 'HEAD~1'), '--github-output', out]);
    } finally {
      process.chdir(cwd);
      write.mockRestore();
    }
    expect(readFileSync(out, 'utf8')).toBe('environment=false\nservices=[]\npipelines=[]\nmode=none\n');
  }, 60000);
});
