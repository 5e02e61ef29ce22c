import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { servicePrefixes } from '@forum/contracts';
import { defineCommand, ToolError } from '../core/command';

export interface PackageOptions {
  /** `<account>.dkr.ecr.<region>.amazonaws.com` (docker must be logged in to it). */
  registry: string;
  /** The ECR repository prefix: Copilot names repositories `<app>/<service>`. */
  repositoryPrefix: string;
  tag: string;
  services: string[];
  output: string;
  dryRun: boolean;
  run: (command: string, args: string[]) => number;
  log: (line: string) => void;
}

/**
 * The package stage: one image per service from the shared Dockerfile, tagged with the commit,
 * pushed to ECR, and CodePipeline's imagedefinitions.json naming each container's new image.
 */
export function packageImages(options: PackageOptions): { name: string; imageUri: string }[] {
  const definitions = options.services.map((service) => ({
    name: service,
    imageUri: `${options.registry}/${options.repositoryPrefix}/${service}:${options.tag}`,
  }));
  for (const { name, imageUri } of definitions) {
    const steps: [string, string[]][] = [
      ['docker', ['build', '--build-arg', `SERVICE=${name}`, '--tag', imageUri, '.']],
      ['docker', ['push', imageUri]],
    ];
    for (const [command, args] of steps) {
      options.log(`${options.dryRun ? 'would run' : 'running'}: ${command} ${args.join(' ')}`);
      if (!options.dryRun && options.run(command, args) !== 0) throw new Error(`${command} ${args[0]} failed for ${name}`);
    }
  }
  writeFileSync(options.output, `${JSON.stringify(definitions, null, 2)}\n`);
  options.log(`wrote ${options.output} (${definitions.length} image(s))`);
  return definitions;
}

export const packageCommand = defineCommand({
  name: 'package',
  summary: 'build and push each image to ECR, write imagedefinitions.json',
  options: {
    registry: { type: 'string', required: true, placeholder: 'account.dkr.ecr.region.amazonaws.com', doc: 'the ECR registry' },
    tag: { type: 'string', required: true, placeholder: 'commit', doc: 'the image tag (the commit)' },
    services: { type: 'string', placeholder: 'users,posts', doc: "the services to package ('' for none; default: all)" },
    'repository-prefix': { type: 'string', default: 'forum', doc: 'repositories are <prefix>/<service>' },
    output: { type: 'string', default: 'imagedefinitions.json', doc: "CodePipeline's image definitions file" },
    'dry-run': { type: 'boolean', doc: 'print the docker commands, run none' },
  },
  run: async (values) => {
    const known = Object.keys(servicePrefixes);
    // --services '' (nothing affected) packages nothing; no --services packages every service.
    const services =
      values.services !== undefined
        ? values.services
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
        : known;
    const unknown = services.filter((s) => !known.includes(s));
    if (unknown.length > 0) throw new ToolError(`unknown service(s): ${unknown.join(', ')} (known: ${known.join(', ')})`);
    packageImages({
      registry: values.registry,
      repositoryPrefix: values['repository-prefix'],
      tag: values.tag,
      services,
      output: values.output,
      dryRun: values['dry-run'],
      run: (command, commandArgs) => {
        const result = spawnSync(command, commandArgs, { stdio: 'inherit' });
        if (result.error) throw new ToolError(`${command} could not run: ${result.error.message} (is Docker installed and running?)`);
        return result.status ?? 1;
      },
      log: (line) => process.stdout.write(`${line}\n`),
    });
  },
});
