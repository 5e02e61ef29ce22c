import type { Report } from './findings';
import type { PipelineManifest } from './schemas';

const providers = ['GitHub', 'GitHubV1', 'CodeCommit', 'Bitbucket'];

/** Providers Copilot knows, stages that name real environments, approval before production. */
export function checkPipeline(pipeline: PipelineManifest, environments: string[], buildspec: unknown, report: Report): void {
  if (!providers.includes(pipeline.source.provider)) {
    report('source.provider', 'pipeline-provider', `${pipeline.source.provider} is not one of ${providers.join(', ')}`);
  }
  pipeline.stages.forEach((stage, i) => {
    if (!environments.includes(stage.name))
      report(`stages[${i}].name`, 'pipeline-stage-env', `no environment named ${stage.name} (have ${environments.join(', ')})`);
    if (/prod/.test(stage.name) && stage.requires_approval !== true)
      report(`stages[${i}].requires_approval`, 'pipeline-approval', `${stage.name} must require approval`);
  });
  if (pipeline.build?.buildspec && buildspec === undefined)
    report('build.buildspec', 'pipeline-buildspec', `${pipeline.build.buildspec} does not exist`);
  const declared = (buildspec as { env?: { variables?: Record<string, string> } } | undefined)?.env?.variables?.['ENVIRONMENTS'];
  if (
    buildspec !== undefined &&
    declared?.split(/\s+/).sort().join() !==
      pipeline.stages
        .map((s) => s.name)
        .sort()
        .join()
  ) {
    report(
      'stages',
      'pipeline-buildspec',
      `the buildspec packages for ${JSON.stringify(declared)} but the stages are ${pipeline.stages.map((s) => s.name).join(', ')}`,
    );
  }
}

/** Misspellings Copilot would silently ignore, with what was meant. */
export const pipelineSpellings: Record<string, string> = {
  require_approval: 'requires_approval',
  requiresApproval: 'requires_approval',
  approval: 'requires_approval',
};

type Buildspec = { phases?: Record<string, { 'on-failure'?: string; commands?: unknown[] }> };

/** A CodeBuild buildspec stops at the first failing phase, and every image it deploys is tagged. */
export function checkBuildspec(buildspec: unknown, report: Report): void {
  for (const [name, phase] of Object.entries((buildspec as Buildspec | undefined)?.phases ?? {})) {
    if (phase['on-failure'] !== 'ABORT')
      report(`phases.${name}`, 'buildspec-abort', 'needs on-failure: ABORT, or the next phases run (and deploy) after a failure');
    (phase.commands ?? []).forEach((command, i) => {
      if (/copilot svc (package|deploy)\b/.test(String(command)) && !/--tag\b/.test(String(command))) {
        report(`phases.${name}.commands[${i}]`, 'buildspec-tag', 'tag the images with the commit (--tag), so what runs can be traced to a commit');
      }
    });
  }
}
