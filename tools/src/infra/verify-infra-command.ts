import { resolve } from 'node:path';
import { defineCommand } from '../core/command';
import { checkInfra } from './check';
import { formatFinding } from './findings';
import { loadInfra } from './load';
import { checkHealthRoutes } from './live-health';

/** `npm run verify:infra`: the deployment files checked offline; exit 1 on any finding. */
export const verifyInfraCommand = defineCommand({
  name: 'verify-infra',
  summary: 'check the Copilot manifests, addons, overrides, buildspecs and Dockerfile offline',
  positional: { name: 'root', doc: 'the repository (default: the current folder)' },
  options: { 'no-live': { type: 'boolean', doc: 'skip starting each built service for its health check path' } },
  run: async (values, rootArg) => {
    const root = resolve(rootArg ?? process.cwd());
    const files = loadInfra(root);
    const findings = checkInfra(files);
    if (!values['no-live']) findings.push(...(await checkHealthRoutes(files, resolve(root, 'dist/apps'))));
    for (const finding of findings) process.stdout.write(`${formatFinding(finding)}\n`);
    const checked = `${files.services.length} services, ${files.environments.length} environment(s), ${files.pipelines.length} pipeline(s), ${files.addons.length} addon templates, ${files.overrides.length} override files, Dockerfile`;
    process.stdout.write(findings.length === 0 ? `verify:infra: OK (${checked})\n` : `verify:infra: ${findings.length} problem(s) in ${checked}\n`);
    if (findings.length > 0) process.exitCode = 1;
  },
});
