import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { servicePrefixes } from '@forum/contracts';
import { defineCommand } from '../core/command';

/**
 * What one push must deploy to one environment: the environment first when its manifest, addons
 * or overrides changed, then every service whose code, libs, manifest, overrides or image recipe
 * changed since the commit that was last deployed there. A pipeline manifest change is reported
 * (it is deployed by hand with `copilot pipeline deploy`).
 */
export interface DeployPlan {
  environment: string;
  /** The last commit deployed to the environment, as given (empty when none is known). */
  base: string;
  head: string;
  /** `range`: the files changed in base..head; `full`: everything; `none`: nothing to do. */
  mode: 'range' | 'full' | 'none';
  reason: string;
  deployEnvironment: boolean;
  /** In deploy order: a service before the services that call it. */
  services: string[];
  pipelines: string[];
  /** The commands, in order. */
  steps: string[];
}

/** Files every image is built from: a change rebuilds and redeploys every service. */
const imageRecipe = [
  'Dockerfile',
  '.dockerignore',
  '.npmrc',
  'package.json',
  'package-lock.json',
  'tsconfig.base.json',
  'nx.json',
  'tools/scripts/prune-production-modules.sh',
  'tools/scripts/warm-compile-cache.sh',
  'tools/src/build/esbuild.config.ts',
];
/** Files that never reach an image even inside a project folder. */
const notShipped = [/\.spec\.ts$/, /(^|\/)test\//, /\.md$/, /(^|\/)jest\.config\.js$/, /(^|\/)eslint\.config\.mjs$/, /^docs\//];

export function planDeploy(root: string, options: { base: string; head: string; environment: string }): DeployPlan {
  const git = (...args: string[]) => spawnSync('git', args, { cwd: root, encoding: 'utf8' });
  const isCommit = (rev: string) => rev !== '' && git('cat-file', '-e', `${rev}^{commit}`).status === 0;
  const isAncestor = (a: string, b: string) => git('merge-base', '--is-ancestor', a, b).status === 0;
  if (!isCommit(options.head)) throw new Error(`head ${options.head} is not a commit of this repository`);
  const head = git('rev-parse', `${options.head}^{commit}`).stdout.trim();
  const services = deployableServices(root);
  const plan = (
    mode: DeployPlan['mode'],
    reason: string,
    changes: Omit<DeployPlan, 'environment' | 'base' | 'head' | 'mode' | 'reason' | 'steps'>,
  ): DeployPlan => ({
    environment: options.environment,
    base: options.base,
    head,
    mode,
    reason,
    ...changes,
    steps: stepsOf(changes, options.environment, head),
  });
  const everything = { deployEnvironment: true, services, pipelines: [] };
  const nothing = { deployEnvironment: false, services: [], pipelines: [] };

  if (!isCommit(options.base))
    return plan(
      'full',
      `no deployed commit known for ${options.environment}${options.base ? ` (${options.base} is not a commit)` : ''}: deploy everything`,
      everything,
    );
  const base = git('rev-parse', `${options.base}^{commit}`).stdout.trim();
  if (base === head) return plan('none', `${short(head)} is already deployed`, nothing);
  if (isAncestor(head, base))
    return plan('none', `${short(head)} is older than the deployed ${short(base)}: nothing to do (a deploy never goes backwards)`, nothing);
  if (!isAncestor(base, head))
    return plan('full', `the deployed ${short(base)} is not in the history of ${short(head)}: deploy everything`, everything);

  const files = git('diff', '--name-only', '--no-renames', base, head).stdout.split('\n').filter(Boolean);
  const under = (prefix: string) => files.some((f) => f.startsWith(prefix));
  const deployEnvironment =
    under(`copilot/environments/${options.environment}/`) || under('copilot/environments/addons/') || under('copilot/environments/overrides/');
  const pipelines = [...new Set(files.map((f) => /^copilot\/pipelines\/([^/]+)\//.exec(f)?.[1]).filter((p): p is string => p !== undefined))].sort();
  const recipeChanged = files.some((f) => imageRecipe.includes(f));
  const code = files.filter((f) => /^(apps|libs)\//.test(f) && !notShipped.some((pattern) => pattern.test(f)));
  const affectedByCode = new Set(code.length > 0 ? affectedProjects(root, code) : []);
  const changed = services.filter((svc) => recipeChanged || under(`copilot/${svc}/`) || affectedByCode.has(svc));
  const what = [
    deployEnvironment && 'the environment',
    changed.length > 0 && changed.join(', '),
    pipelines.length > 0 && `pipeline ${pipelines.join(', ')}`,
  ].filter(Boolean);
  const reason = `${files.length} file(s) changed in ${short(base)}..${short(head)}: ${what.length > 0 ? what.join('; ') : 'nothing deployable'}`;
  return plan(what.length > 0 ? 'range' : 'none', reason, { deployEnvironment, services: changed, pipelines });
}

/** The services that have a Copilot manifest, in the order the code lists them (callees first). */
export function deployableServices(root: string): string[] {
  const known = Object.keys(servicePrefixes);
  const withManifest = existsSync(join(root, 'copilot'))
    ? readdirSync(join(root, 'copilot')).filter((d) => existsSync(join(root, 'copilot', d, 'manifest.yml')))
    : [];
  return known.filter((svc) => withManifest.includes(svc));
}

/** Nx's answer for these files: the projects they touch and every project that depends on those. */
function affectedProjects(root: string, files: string[]): string[] {
  const nx = spawnSync(
    process.execPath,
    [join(root, 'node_modules/nx/dist/bin/nx.js'), 'show', 'projects', '--affected', `--files=${files.join(',')}`, '--json'],
    {
      cwd: root,
      env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
      encoding: 'utf8',
    },
  );
  if (nx.status !== 0) throw new Error(`nx could not compute affected projects: ${nx.stderr.trim().split('\n').at(-1)}`);
  return JSON.parse(nx.stdout) as string[];
}

function stepsOf(changes: Pick<DeployPlan, 'deployEnvironment' | 'services' | 'pipelines'>, environment: string, head: string): string[] {
  return [
    ...(changes.deployEnvironment ? [`copilot env deploy --name ${environment}`] : []),
    ...changes.services.map((svc) => `copilot svc deploy --name ${svc} --env ${environment} --tag ${head}`),
    ...changes.pipelines.map((p) => `copilot pipeline deploy --name ${p}   (by hand: the pipeline manifest changed)`),
  ];
}

const short = (sha: string) => sha.slice(0, 12);

export const deployPlanCommand = defineCommand({
  name: 'deploy-plan',
  summary: 'what to deploy to an environment since the commit last deployed there, in order',
  description:
    'The ordered plan of what to deploy to an environment, from the commit last deployed there (--base;\n' +
    'empty or unknown: everything) to --head.',
  options: {
    base: { type: 'string', default: '', placeholder: 'rev', doc: 'the commit last deployed to the environment' },
    head: { type: 'string', default: 'HEAD', placeholder: 'rev', doc: 'the commit to deploy' },
    env: { type: 'string', default: 'production', placeholder: 'name', doc: 'the Copilot environment' },
    json: { type: 'boolean', doc: 'print the plan as JSON' },
    'github-output': {
      type: 'string',
      placeholder: 'file',
      doc: 'append environment, services, pipelines and mode to this GitHub Actions output file',
    },
  },
  run: async (values) => {
    const plan = planDeploy(process.cwd(), { base: values.base, head: values.head, environment: values.env });
    if (values['github-output']) {
      const outputs = {
        environment: String(plan.deployEnvironment),
        services: JSON.stringify(plan.services),
        pipelines: JSON.stringify(plan.pipelines),
        mode: plan.mode,
      };
      appendFileSync(
        values['github-output'],
        Object.entries(outputs)
          .map(([k, v]) => `${k}=${v}\n`)
          .join(''),
      );
    }
    process.stdout.write(values.json ? `${JSON.stringify(plan, null, 2)}\n` : formatPlan(plan));
  },
});

export function formatPlan(plan: DeployPlan): string {
  const range = plan.mode === 'full' ? `everything at ${short(plan.head)}` : `${short(plan.base)}..${short(plan.head)}`;
  const steps = plan.steps.length > 0 ? plan.steps.map((s, i) => `  ${i + 1}. ${s}`) : ['  nothing to deploy'];
  return [`Deploy plan for ${plan.environment}: ${range} (${plan.mode})`, `  ${plan.reason}`, ...steps, ''].join('\n');
}
