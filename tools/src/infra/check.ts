import type { z } from 'zod';
import { servicePrefixes } from '@forum/contracts';
import { addonExports, checkAddons } from './addon-rules';
import { checkDockerfile, checkServiceAgainstCode } from './code-rules';
import { checkEnvironment, checkTls } from './environment-rules';
import { reporter, type Finding, type Report } from './findings';
import type { InfraFiles, LoadedFile } from './load';
import { checkLambdaRuntimes, environmentFunctions, serviceFunctions } from './override-rules';
import { checkBuildspec, checkPipeline, pipelineSpellings } from './pipeline-rules';
import { environmentManifest, pipelineManifest, serviceManifest, workspaceFile } from './schemas';
import { checkEnvironmentSeed, checkServiceSeed } from './seed-rules';
import { checkService, effectiveService } from './service-rules';

/** Validates a schema; unknown keys and wrong types become findings. */
function parse<S extends z.ZodType>(schema: S, file: LoadedFile, report: Report): z.output<S> | undefined {
  const result = schema.safeParse(file.data);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    const at = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const hint = pipelineSpellings[key] ? ` (did you mean ${pipelineSpellings[key]}?)` : '';
        report(at ? `${at}.${key}` : key, 'unknown-key', `Copilot does not know this key and would silently ignore it${hint}`);
      }
    } else {
      report(at, issue.message.startsWith('is not a duration') ? 'duration' : 'schema', issue.message);
    }
  }
  return undefined;
}

/** Every offline check of the deployment files. */
export function checkInfra(files: InfraFiles): Finding[] {
  const findings: Finding[] = [];
  const run = (file: string, check: (report: Report) => void) => {
    const r = reporter(file);
    check(r.add);
    findings.push(...r.findings);
  };

  /** One stack's overrides against the Lambda functions its template has in every environment. */
  const overridesOf = (owner: string, perEnvironment: string[][]) => {
    run(`copilot/${owner}/overrides/cfn.patches.yml`, (report) => {
      const [functions = [], ...others] = perEnvironment.map((fns) => [...fns].sort());
      if (others.some((fns) => fns.join() !== functions.join())) {
        report('', 'override-environments', 'the environments give this stack different Lambda functions, which one shared override cannot patch');
        return;
      }
      checkLambdaRuntimes(
        functions,
        files.overrides.find((o) => o.owner === owner),
        report,
      );
    });
  };

  run('copilot/.workspace', (report) => {
    if (!files.workspace) report('', 'missing', 'copilot/.workspace is missing');
    else parse(workspaceFile, files.workspace, report);
  });

  const environments: string[] = [];
  const environmentLambdas = new Map<string, string[]>();
  const withTls = new Set<string>();
  for (const file of files.environments) {
    run(file.file, (report) => {
      const env = parse(environmentManifest, file, report);
      if (!env) return;
      environments.push(env.name);
      if (!file.file.includes(`/environments/${env.name}/`)) report('name', 'name', `must match its folder`);
      checkEnvironment(env, report);
      checkEnvironmentSeed(env, report);
      checkTls(env, file.text, report);
      if ((env.http?.public?.certificates?.length ?? 0) > 0) withTls.add(env.name);
      environmentLambdas.set(env.name, environmentFunctions(env));
    });
  }
  if (files.environments.length === 0) run('copilot/environments', (report) => report('', 'missing', 'no environment manifest'));
  overridesOf('environments', [...environmentLambdas.values()]);

  const deployed = new Set<string>();
  // The addons' export names as a service manifest spells them.
  const exports = addonExports(files.addons).map((name) =>
    name.replace('${App}', '${COPILOT_APPLICATION_NAME}').replace('${Env}', '${COPILOT_ENVIRONMENT_NAME}'),
  );
  for (const file of files.services) {
    run(file.file, (report) => {
      const svc = parse(serviceManifest, file, report);
      if (!svc) return;
      deployed.add(svc.name);
      if (file.file !== `copilot/${svc.name}/manifest.yml`) report('name', 'name', 'must match its folder');
      for (const env of Object.keys(svc.environments ?? {})) {
        if (!environments.includes(env)) report(`environments.${env}`, 'unknown-environment', `no environment named ${env}`);
      }
      const lambdas: string[][] = [];
      for (const env of environments) {
        const at = svc.environments?.[env] ? `environments.${env}: ` : '';
        const effective = effectiveService(svc, env);
        checkService(effective, (path, rule, message) => report(path, rule, `${at}${message}`));
        checkServiceSeed(effective, (path, rule, message) => report(path, rule, `${at}${message}`));
        if (withTls.has(env) && effective.http.redirect_to_https === false)
          report('http.redirect_to_https', 'tls', `${at}${env} serves HTTPS: plain HTTP must redirect to it`);
        lambdas.push(serviceFunctions(effective));
      }
      overridesOf(svc.name, lambdas);
      checkServiceAgainstCode(svc, files.root, report);
      // Secrets imported from the addons must name one of their exports.
      for (const [name, secret] of Object.entries(svc.secrets ?? {})) {
        if (typeof secret === 'object' && 'from_cfn' in secret && !exports.includes(secret.from_cfn)) {
          report(
            `secrets.${name}.from_cfn`,
            'secret-export',
            `${secret.from_cfn} is not exported by any environment addon (${exports.join(', ') || 'none'})`,
          );
        }
      }
    });
  }
  for (const app of files.apps) {
    if (!deployed.has(app)) run(`apps/${app}`, (report) => report('', 'app-without-manifest', `no copilot/${app}/manifest.yml deploys this app`));
  }
  for (const service of Object.keys(servicePrefixes)) {
    if (!files.apps.includes(service)) run(`apps/${service}`, (report) => report('', 'app-missing', 'the service has no Nx app'));
  }

  for (const { manifest, buildspec } of files.pipelines) {
    run(manifest.file, (report) => {
      const pipeline = parse(pipelineManifest, manifest, report);
      if (pipeline) checkPipeline(pipeline, environments, buildspec?.data, report);
    });
    if (buildspec) run(buildspec.file, (report) => checkBuildspec(buildspec.data, report));
  }
  for (const buildspec of files.buildspecs) run(buildspec.file, (report) => checkBuildspec(buildspec.data, report));
  if (files.pipelines.length === 0) run('copilot/pipelines', (report) => report('', 'missing', 'no pipeline manifest'));

  checkAddons(files.addons, environments, (file) => (path, rule, message) => findings.push({ file, path, rule, message }));

  run('Dockerfile', (report) => {
    if (!files.dockerfile) report('', 'missing', 'no Dockerfile at the repository root');
    else checkDockerfile(files.dockerfile.text, files.dockerignore, report);
  });
  return findings;
}
