import type { Report } from './findings';
import type { LoadedFile } from './load';

type Resource = { Type?: string; Condition?: string; Properties?: Record<string, unknown> };
const resourcesOf = (file: LoadedFile) => Object.values((file.data as { Resources?: Record<string, Resource> } | null)?.Resources ?? {});

/** The seed's VPC endpoints, a database version AWS still creates, and scan-on-push owned by one environment. */
export function checkAddons(addons: LoadedFile[], environments: string[], report: (file: string) => Report): void {
  const all = addons.flatMap((file) => resourcesOf(file).map((resource) => ({ file: file.file, resource })));
  const endpoints = all.filter(({ resource }) => resource.Type === 'AWS::EC2::VPCEndpoint');
  const serviceOf = (r: Resource) => JSON.stringify(r.Properties?.['ServiceName'] ?? '');
  const where = endpoints[0]?.file ?? 'copilot/environments/addons';
  for (const [service, type] of [
    ['ecr.api', 'Interface'],
    ['ecr.dkr', 'Interface'],
    ['logs', 'Interface'],
    ['s3', 'Gateway'],
  ] as const) {
    const endpoint = endpoints.find(({ resource }) => serviceOf(resource).includes(`}.${service}`));
    if (!endpoint) report(where)('Resources', 'vpc-endpoints', `no VPC endpoint for ${service}`);
    else if (endpoint.resource.Properties?.['VpcEndpointType'] !== type)
      report(endpoint.file)('Resources', 'vpc-endpoints', `the ${service} endpoint must be of type ${type}`);
  }
  const clusters = all.filter(({ resource }) => resource.Type === 'AWS::RDS::DBCluster');
  if (clusters.length === 0) report('copilot/environments/addons')('', 'database', 'no database cluster addon');
  for (const { file, resource } of clusters) {
    const props = resource.Properties ?? {};
    if (props['Engine'] !== 'aurora-postgresql') report(file)('Properties.Engine', 'database', 'must be aurora-postgresql');
    const version = defaultOf(
      addons.find((a) => a.file === file),
      props['EngineVersion'],
    );
    if (!version || Number(version.split('.')[0]) < 15)
      report(file)('Properties.EngineVersion', 'database', `${version ?? 'unset'}: use a PostgreSQL version AWS still creates (15 or later)`);
    if (!props['ServerlessV2ScalingConfiguration'])
      report(file)('Properties', 'database', 'must be Aurora Serverless v2 (ServerlessV2ScalingConfiguration)');
    if (props['StorageEncrypted'] !== true) report(file)('Properties.StorageEncrypted', 'database', 'must be true');
  }
  const scanning = all.find(({ resource }) => resource.Type === 'AWS::ECR::RegistryScanningConfiguration');
  if (!scanning) report('copilot/environments/addons')('', 'ecr-scanning', 'no registry scanning configuration: images would not be scanned on push');
  else checkRegistryScanningOwner(scanning, addons, environments, report);
}

// The registry's scanning configuration is one per account and region: created from every
// environment, a second environment collides with the first and any existing setup is replaced.
function checkRegistryScanningOwner(
  scanning: { file: string; resource: Resource },
  addons: LoadedFile[],
  environments: string[],
  report: (file: string) => Report,
): void {
  const template = addons.find((a) => a.file === scanning.file)?.data as { Conditions?: Record<string, unknown> } | undefined;
  const condition = scanning.resource.Condition ? JSON.stringify(template?.Conditions?.[scanning.resource.Condition] ?? null) : 'null';
  const parameter = /"Ref":"(?!Env")(\w+)"/.exec(condition)?.[1];
  if (!parameter || !condition.includes('"Ref":"Env"')) {
    report(scanning.file)(
      'Resources',
      'ecr-scanning',
      'the account-wide scanning configuration needs a Condition comparing Env with an explicit parameter naming the one environment that owns it',
    );
    return;
  }
  const parametersFile = 'copilot/environments/addons/addons.parameters.yml';
  const given = (addons.find((a) => a.file === parametersFile)?.data as { Parameters?: Record<string, unknown> } | undefined)?.Parameters?.[
    parameter
  ];
  if (typeof given !== 'string' || (given !== '' && !environments.includes(given))) {
    report(parametersFile)(
      `Parameters.${parameter}`,
      'ecr-scanning',
      `must name the environment that owns the registry scanning configuration (one of ${environments.join(', ')}), or '' for none (got ${JSON.stringify(given)})`,
    );
  }
}

/** The export names of the addons' outputs, for the services' `from_cfn` secrets. */
export function addonExports(addons: LoadedFile[]): string[] {
  return addons.flatMap((file) =>
    Object.values((file.data as { Outputs?: Record<string, { Export?: { Name?: { 'Fn::Sub'?: string } } }> } | null)?.Outputs ?? {})
      .map((o) => o.Export?.Name?.['Fn::Sub'])
      .filter((name): name is string => typeof name === 'string'),
  );
}

// A `!Ref Parameter` resolves to the parameter's default.
function defaultOf(file: LoadedFile | undefined, value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  const ref = (value as { Ref?: string } | null)?.Ref;
  const parameters = (file?.data as { Parameters?: Record<string, { Default?: unknown }> } | null)?.Parameters;
  const fallback = ref ? parameters?.[ref]?.Default : undefined;
  return fallback === undefined ? undefined : String(fallback);
}
