import type { ECSClient } from '@aws-sdk/client-ecs';
import { describeService } from './ecs-deploy';

export interface VerifyResult {
  ok: boolean;
  checks: { name: string; ok: boolean; detail: string }[];
}

/** After a deploy: the rollout finished, every desired task runs, and the expected revision is live. */
export async function verifyService(
  client: ECSClient,
  options: { cluster: string; service: string; taskDefinition?: string | undefined },
): Promise<VerifyResult> {
  const service = await describeService(client, options.cluster, options.service);
  const primary = service.deployments?.find((d) => d.status === 'PRIMARY');
  const checks = [
    {
      name: 'rollout',
      ok: primary?.rolloutState === 'COMPLETED' && service.deployments?.length === 1,
      detail: `${primary?.rolloutState ?? 'no primary deployment'}, ${service.deployments?.length ?? 0} deployment(s)`,
    },
    {
      name: 'tasks',
      ok: (service.runningCount ?? primary?.runningCount) === service.desiredCount,
      detail: `running ${service.runningCount ?? primary?.runningCount ?? 0} of ${service.desiredCount ?? 0}`,
    },
    ...(options.taskDefinition
      ? [{ name: 'task definition', ok: service.taskDefinition === options.taskDefinition, detail: `live ${service.taskDefinition}` }]
      : []),
  ];
  return { ok: checks.every((c) => c.ok), checks };
}
