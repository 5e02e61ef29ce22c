import type { RegisterTaskDefinitionCommandInput, TaskDefinition } from '@aws-sdk/client-ecs';

// The fields RegisterTaskDefinition accepts. DescribeTaskDefinition also returns read-only ones
// (taskDefinitionArn, revision, status, requiresAttributes, compatibilities, registeredAt/By,
// deregisteredAt) that the API rejects, so a copy takes these and nothing else.
const registrable = [
  'family',
  'taskRoleArn',
  'executionRoleArn',
  'networkMode',
  'containerDefinitions',
  'volumes',
  'placementConstraints',
  'requiresCompatibilities',
  'cpu',
  'memory',
  'pidMode',
  'ipcMode',
  'proxyConfiguration',
  'inferenceAccelerators',
  'ephemeralStorage',
  'runtimePlatform',
  'enableFaultInjection',
] as const satisfies readonly (keyof RegisterTaskDefinitionCommandInput & keyof TaskDefinition)[];

/**
 * The registration input for a new revision of `current` whose container `container` (the
 * first one when not named) runs `image`; what CodePipeline's ECS deploy action does.
 */
export function withImage(current: TaskDefinition, image: string, container?: string): RegisterTaskDefinitionCommandInput {
  const definitions = current.containerDefinitions ?? [];
  const target = container ?? definitions[0]?.name;
  if (!definitions.some((c) => c.name === target)) {
    throw new Error(`task definition ${current.family} has no container named ${target}`);
  }
  const input: Record<string, unknown> = {};
  for (const key of registrable) if (current[key] !== undefined) input[key] = current[key];
  input['containerDefinitions'] = definitions.map((c) => (c.name === target ? { ...c, image } : c));
  return input as unknown as RegisterTaskDefinitionCommandInput;
}

/** The image of the container the deploy replaces. */
export function imageOf(definition: TaskDefinition, container?: string): string | undefined {
  const definitions = definition.containerDefinitions ?? [];
  return (container ? definitions.find((c) => c.name === container) : definitions[0])?.image;
}
