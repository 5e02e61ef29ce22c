import { resolve } from 'node:path';
import { checkInfra } from './check';
import { formatFinding } from './findings';
import { loadInfra } from './load';
import { checkHealthRoutes } from './live-health';

/** `npm run verify:infra`: the deployment files checked offline; exit 1 on any finding. */
export async function verifyInfraCommand(args: string[]): Promise<void> {
  const root = resolve(args.find((a) => !a.startsWith('--')) ?? process.cwd());
  const files = loadInfra(root);
  const findings = checkInfra(files);
  if (!args.includes('--no-live')) findings.push(...(await checkHealthRoutes(files, resolve(root, 'dist/apps'))));
  for (const finding of findings) process.stdout.write(`${formatFinding(finding)}\n`);
  const checked = `${files.services.length} services, ${files.environments.length} environment(s), ${files.pipelines.length} pipeline(s), ${files.addons.length} addon templates, ${files.overrides.length} override files, Dockerfile`;
  process.stdout.write(findings.length === 0 ? `verify:infra: OK (${checked})\n` : `verify:infra: ${findings.length} problem(s) in ${checked}\n`);
  if (findings.length > 0) process.exitCode = 1;
}
