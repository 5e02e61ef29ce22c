import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { checkInfra } from './check';
import { formatFinding } from './findings';
import { loadInfra, type InfraFiles } from './load';
import { parseYaml } from '../core/yaml';

const root = resolve(__dirname, '../../..');
const pristine = loadInfra(root);

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The repository's files with one of them changed. */
function withChange(file: string, change: (doc: Doc) => void, files: InfraFiles = pristine): InfraFiles {
  const copy: InfraFiles = structuredClone(files);
  const all = [
    copy.workspace,
    ...copy.environments,
    ...copy.services,
    ...copy.pipelines.flatMap((p) => [p.manifest, p.buildspec]),
    ...copy.addons,
    ...copy.overrides,
    ...copy.buildspecs,
  ];
  const target = all.find((f) => f?.file === file);
  if (!target) throw new Error(`no ${file}`);
  change(target.data as Doc);
  return copy;
}

const rulesOf = (files: InfraFiles) => checkInfra(files).map((f) => `${f.rule} ${f.file}: ${f.path}`);
const USERS = 'copilot/users/manifest.yml';
const ENV = 'copilot/environments/production/manifest.yml';
const PIPELINE = 'copilot/pipelines/forum-main/manifest.yml';
const OVERRIDES = 'copilot/users/overrides/cfn.patches.yml';

describe('verify:infra', () => {
  it('when the repository is checked, then there are no findings', () => {
    expect(checkInfra(pristine).map(formatFinding)).toEqual([]);
  });

  it.each<[string, string, (d: Doc) => void, string]>([
    ['an unknown top-level key', USERS, (d) => (d['healthcheck'] = '/x'), `unknown-key ${USERS}: healthcheck`],
    ['a mis-indented key inside http', USERS, (d) => (d['http']['interval'] = '30s'), `unknown-key ${USERS}: http.interval`],
    [
      'an unknown key inside an environments override',
      USERS,
      (d) => (d['environments'] = { production: { count: { range: '2-10', cpu_percentage: 70, memry_percentage: 80 } } }),
      `unknown-key ${USERS}: environments.production.count.memry_percentage`,
    ],
    [
      'an override for an environment that does not exist',
      USERS,
      (d) => (d['environments'] = { staging: { cpu: 256 } }),
      `unknown-environment ${USERS}: environments.staging`,
    ],
    ['a wrong type', USERS, (d) => (d['cpu'] = '256'), `schema ${USERS}: cpu`],
    ['a malformed duration', USERS, (d) => (d['http']['deregistration_delay'] = '30 seconds'), `duration ${USERS}: http.deregistration_delay`],
    ['an invalid Fargate cpu', USERS, (d) => (d['cpu'] = 300), `fargate-size ${USERS}: cpu`],
    ['memory that does not fit the cpu', USERS, (d) => (d['memory'] = 4096), `fargate-size ${USERS}: memory`],
    ['a count range that is not min-max', USERS, (d) => (d['count']['range'] = '2..10'), `count-range ${USERS}: count.range`],
    ['a count range with min above max', USERS, (d) => (d['count']['range'] = '10-2'), `count-range ${USERS}: count.range`],
    [
      'a count range without scaling metrics',
      USERS,
      (d) => {
        delete d['count']['cpu_percentage'];
        delete d['count']['memory_percentage'];
      },
      `count-metrics ${USERS}: count`,
    ],
    [
      'a health check interval out of range',
      USERS,
      (d) => (d['http']['healthcheck']['interval'] = '2s'),
      `health-interval ${USERS}: http.healthcheck.interval`,
    ],
    [
      'a health check timeout not below the interval',
      USERS,
      (d) => (d['http']['healthcheck']['timeout'] = '30s'),
      `health-timeout ${USERS}: http.healthcheck.timeout`,
    ],
    [
      'a health threshold out of range',
      USERS,
      (d) => (d['http']['healthcheck']['unhealthy_threshold'] = 11),
      `health-threshold ${USERS}: http.healthcheck.unhealthy_threshold`,
    ],
    [
      'a deregistration delay out of range',
      USERS,
      (d) => (d['http']['deregistration_delay'] = '3601s'),
      `deregistration-delay ${USERS}: http.deregistration_delay`,
    ],
    ['a stop timeout shorter than the drain', USERS, (d) => (d['taskdef_overrides'][0]['value'] = 20), `stop-timeout ${USERS}: taskdef_overrides`],
    [
      'a task size other than the seed',
      USERS,
      (d) => {
        d['cpu'] = 512;
        d['memory'] = 1024;
      },
      `seed ${USERS}: cpu`,
    ],
    ['a scaling target other than the seed', USERS, (d) => (d['count']['cpu_percentage'] = 50), `seed ${USERS}: count.cpu_percentage`],
    [
      'CORS open to any origin',
      USERS,
      (d) => (d['variables']['CORS_ORIGINS'] = 'https://forum.example.com,*'),
      `cors-wildcard ${USERS}: variables.CORS_ORIGINS`,
    ],
    ['public placement', USERS, (d) => (d['network']['vpc']['placement'] = 'public'), `seed ${USERS}: network.vpc.placement`],
    ['a path prefix the app does not serve', USERS, (d) => (d['http']['path'] = 'users'), `path-prefix ${USERS}: http.path`],
    ['a port the app does not listen on', USERS, (d) => (d['image']['port'] = 8080), `port ${USERS}: image.port`],
    ['a health path outside the prefix', USERS, (d) => (d['http']['healthcheck']['path'] = '/health'), `health-path ${USERS}: http.healthcheck.path`],
    [
      'a missing Dockerfile',
      USERS,
      (d) => (d['image']['build']['dockerfile'] = 'apps/users/Dockerfile'),
      `dockerfile ${USERS}: image.build.dockerfile`,
    ],
    [
      'the wrong service build argument',
      USERS,
      (d) => (d['image']['build']['args']['SERVICE'] = 'posts'),
      `dockerfile ${USERS}: image.build.args.SERVICE`,
    ],
    ['a manifest for a service the code does not have', USERS, (d) => (d['name'] = 'comments'), `manifest-without-app ${USERS}: name`],
    [
      'a subnet outside the VPC',
      ENV,
      (d) => (d['network']['vpc']['subnets']['private'][0]['cidr'] = '10.1.100.0/24'),
      `subnet-in-vpc ${ENV}: network.vpc.subnets.private[0].cidr`,
    ],
    [
      'overlapping subnets',
      ENV,
      (d) => (d['network']['vpc']['subnets']['private'][1]['cidr'] = '10.0.0.0/23'),
      `subnet-overlap ${ENV}: network.vpc.subnets.private[1].cidr`,
    ],
    [
      'a malformed CIDR',
      ENV,
      (d) => (d['network']['vpc']['subnets']['public'][0]['cidr'] = '10.0.0.0/33'),
      `cidr ${ENV}: network.vpc.subnets.public[0].cidr`,
    ],
    [
      'subnets in one AZ only',
      ENV,
      (d) => (d['network']['vpc']['subnets']['public'][1]['az'] = 'us-east-1a'),
      `subnet-azs ${ENV}: network.vpc.subnets.public`,
    ],
    [
      'public and private subnets in different AZs',
      ENV,
      (d) => (d['network']['vpc']['subnets']['private'][1]['az'] = 'us-east-1c'),
      `subnet-az-match ${ENV}: network.vpc.subnets`,
    ],
    ['a VPC other than the seed', ENV, (d) => (d['network']['vpc']['cidr'] = '10.0.0.0/8'), `seed ${ENV}: network.vpc.cidr`],
    ['Container Insights off', ENV, (d) => (d['observability']['container_insights'] = false), `seed ${ENV}: observability.container_insights`],
    [
      'require_approval misspelt',
      PIPELINE,
      (d) => {
        d['stages'][0]['require_approval'] = true;
        delete d['stages'][0]['requires_approval'];
      },
      `unknown-key ${PIPELINE}: stages.0.require_approval`,
    ],
    [
      'production without approval',
      PIPELINE,
      (d) => (d['stages'][0]['requires_approval'] = false),
      `pipeline-approval ${PIPELINE}: stages[0].requires_approval`,
    ],
    ['an unknown source provider', PIPELINE, (d) => (d['source']['provider'] = 'GitLab'), `pipeline-provider ${PIPELINE}: source.provider`],
    ['a stage that names no environment', PIPELINE, (d) => (d['stages'][0]['name'] = 'prod'), `pipeline-stage-env ${PIPELINE}: stages[0].name`],
    [
      'a buildspec packaging other environments',
      'copilot/pipelines/forum-main/buildspec.yml',
      (d) => (d['env']['variables']['ENVIRONMENTS'] = 'staging'),
      `pipeline-buildspec ${PIPELINE}: stages`,
    ],
    ['no token signing key secret', USERS, (d) => delete d['secrets']['AUTH_PRIVATE_KEY'], `token-key ${USERS}: secrets`],
    [
      'the token key as a plain variable',
      'copilot/posts/manifest.yml',
      (d) => (d['variables']['AUTH_PUBLIC_KEY'] = '-----BEGIN PUBLIC KEY-----'),
      'token-key copilot/posts/manifest.yml: variables.AUTH_PUBLIC_KEY',
    ],
    [
      'a secret no addon exports',
      USERS,
      (d) => (d['secrets']['DB_SECRET']['from_cfn'] = 'forum-db-secret'),
      `secret-export ${USERS}: secrets.DB_SECRET.from_cfn`,
    ],
    [
      'the PostgreSQL version Copilot pins',
      'copilot/environments/addons/forum-db.yml',
      (d) => (d['Parameters']['EngineVersion']['Default'] = '14.4'),
      'database copilot/environments/addons/forum-db.yml: Properties.EngineVersion',
    ],
    [
      'a provisioned database',
      'copilot/environments/addons/forum-db.yml',
      (d) => delete d['Resources']['DbCluster']['Properties']['ServerlessV2ScalingConfiguration'],
      'database copilot/environments/addons/forum-db.yml: Properties',
    ],
    [
      'no ECR logs endpoint',
      'copilot/environments/addons/vpc-endpoints.yml',
      (d) => delete d['Resources']['LogsEndpoint'],
      'vpc-endpoints copilot/environments/addons/vpc-endpoints.yml: Resources',
    ],
    [
      'an S3 endpoint of the wrong type',
      'copilot/environments/addons/vpc-endpoints.yml',
      (d) => (d['Resources']['S3GatewayEndpoint']['Properties']['VpcEndpointType'] = 'Interface'),
      'vpc-endpoints copilot/environments/addons/vpc-endpoints.yml: Resources',
    ],
    [
      'no scan on push',
      'copilot/environments/addons/ecr-scanning.yml',
      (d) => delete d['Resources']['RegistryScanning'],
      'ecr-scanning copilot/environments/addons: ',
    ],
    [
      'registry scanning set from every environment',
      'copilot/environments/addons/ecr-scanning.yml',
      (d) => delete d['Resources']['RegistryScanning']['Condition'],
      'ecr-scanning copilot/environments/addons/ecr-scanning.yml: Resources',
    ],
    [
      'registry scanning owned by an environment that does not exist',
      'copilot/environments/addons/addons.parameters.yml',
      (d) => (d['Parameters']['RegistryScanningEnvironment'] = 'staging'),
      'ecr-scanning copilot/environments/addons/addons.parameters.yml: Parameters.RegistryScanningEnvironment',
    ],
    ['a Copilot Lambda left on its deprecated runtime', OVERRIDES, (d) => d.splice(1, 1), `lambda-runtime ${OVERRIDES}: `],
    [
      'a Lambda moved to a runtime that is not supported',
      OVERRIDES,
      (d) => (d[0]['value'] = 'nodejs20.x'),
      `lambda-runtime ${OVERRIDES}: /Resources/EnvControllerFunction/Properties/Runtime`,
    ],
    [
      'an override of a function Copilot does not create',
      OVERRIDES,
      (d) => d.push({ op: 'replace', path: '/Resources/CertificateValidationFunction/Properties/Runtime', value: 'nodejs22.x' }),
      `override-target ${OVERRIDES}: /Resources/CertificateValidationFunction/Properties/Runtime`,
    ],
    [
      'a fixed count whose desired-count function is still patched',
      USERS,
      (d) => (d['count'] = 2),
      `override-target ${OVERRIDES}: /Resources/DynamicDesiredCountFunction/Properties/Runtime`,
    ],
    ['a malformed patch', OVERRIDES, (d) => (d[0]['op'] = 'update'), `override-schema ${OVERRIDES}: 0.op`],
    [
      'a buildspec phase that goes on after a failure',
      'copilot/pipelines/forum-main/buildspec.yml',
      (d) => delete d['phases']['pre_build']['on-failure'],
      'buildspec-abort copilot/pipelines/forum-main/buildspec.yml: phases.pre_build',
    ],
    [
      'a standalone buildspec that goes on after a failure',
      'tools/buildspec.yml',
      (d) => (d['phases']['build']['on-failure'] = 'CONTINUE'),
      'buildspec-abort tools/buildspec.yml: phases.build',
    ],
    [
      'a package without the commit tag',
      'copilot/pipelines/forum-main/buildspec.yml',
      (d) => (d['phases']['build']['commands'][1] = String(d['phases']['build']['commands'][1]).replace(/ --tag \S+/, '')),
      'buildspec-tag copilot/pipelines/forum-main/buildspec.yml: phases.build.commands[1]',
    ],
    ['no certificate', ENV, (d) => delete d['http'], `tls ${ENV}: http.public.certificates`],
    [
      'no certificate, whose environment then needs its own Lambda overrides',
      ENV,
      (d) => delete d['http'],
      'lambda-runtime copilot/environments/overrides/cfn.patches.yml: ',
    ],
    [
      'a certificate that is not an ACM ARN',
      ENV,
      (d) => (d['http']['public']['certificates'] = ['my-cert']),
      `tls ${ENV}: http.public.certificates[0]`,
    ],
    ['HTTPS without the HTTP redirect', USERS, (d) => (d['http']['redirect_to_https'] = false), `tls ${USERS}: http.redirect_to_https`],
    ['ECS Exec on a read-only root without writable volumes', USERS, (d) => (d['exec'] = true), `exec-readonly ${USERS}: exec`],
    ['no tracing', 'copilot/threads/manifest.yml', (d) => delete d['observability'], 'tracing copilot/threads/manifest.yml: observability.tracing'],
    ['a tracing vendor Copilot does not have', USERS, (d) => (d['observability']['tracing'] = 'xray'), `schema ${USERS}: observability.tracing`],
    [
      'tracing on but the service not sending',
      'copilot/posts/manifest.yml',
      (d) => delete d['variables']['OTEL_TRACES_EXPORTER'],
      'tracing copilot/posts/manifest.yml: variables.OTEL_TRACES_EXPORTER',
    ],
  ])('when a manifest has %s, then it is rejected', (_what, file, change, finding) => {
    expect(rulesOf(withChange(file, change))).toContain(finding);
  });

  it('when ECS Exec gets writable volumes for its agent, or a test environment opts out of TLS, then these are accepted', () => {
    const exec = withChange(USERS, (d) => {
      d['exec'] = true;
      d['storage']['volumes'] = { ssmLib: { path: '/var/lib/amazon', read_only: false }, ssmLog: { path: '/var/log/amazon', read_only: false } };
    });
    expect(rulesOf(exec)).toEqual([]);
    const plain = withChange(ENV, (d) => delete d['http']);
    plain.environments[0]!.text += '\n# verify-infra: allow-plain-http (a test environment)\n';
    expect(rulesOf(plain).filter((r) => r.startsWith('tls'))).toEqual([]);
  });

  it('when the misspelling is a known one, then the message says what was meant', () => {
    const files = withChange(PIPELINE, (d) => (d['stages'][0]['require_approval'] = true));
    expect(checkInfra(files).find((f) => f.rule === 'unknown-key')?.message).toContain('did you mean requires_approval?');
  });

  it('when an app has no manifest or a manifest no app, then both are reported', () => {
    const files: InfraFiles = { ...structuredClone(pristine), services: pristine.services.filter((s) => s.file !== USERS) };
    expect(rulesOf(files)).toContain('app-without-manifest apps/users: ');
  });

  it('when an environment override breaks a rule, then the finding names the environment', () => {
    const files = withChange(USERS, (d) => (d['environments'] = { production: { memory: 3000 } }));
    expect(checkInfra(files).find((f) => f.rule === 'fargate-size')?.message).toMatch(/^environments\.production: /);
  });

  it.each([
    ['a Docker Hub base', (t: string) => t.replace(/public\.ecr\.aws\/docker\/library\/node/g, 'node'), 'docker-base'],
    ['no non-root user', (t: string) => t.replace(/^USER .*$/gm, ''), 'docker-user'],
    ['a shell-form CMD', (t: string) => t.replace(/^CMD .*$/m, 'CMD node main.js'), 'docker-cmd'],
    ['no HEALTHCHECK', (t: string) => t.replace(/^HEALTHCHECK[\s\S]*?\n(?=#|CMD)/m, ''), 'docker-healthcheck'],
    ['a single stage', (t: string) => t.replace(/^FROM .* AS runtime$/m, ''), 'docker-multi-stage'],
    ['a Node other than 24', (t: string) => t.replace('node:24-alpine', 'node:22-alpine'), 'docker-node'],
    ['a base pinned by tag only', (t: string) => t.replace(/@sha256:[0-9a-f]{64}/, ''), 'docker-digest'],
    ['a BuildKit frontend from Docker Hub', (t: string) => `# syntax=docker/dockerfile:1\n${t}`, 'docker-syntax'],
    [
      'npm left in the runtime image',
      (t: string) => t.replace('/usr/local/bin/npm /usr/local/bin/npx', '/usr/local/bin/npx'),
      'docker-no-package-manager',
    ],
    ['no RDS CA bundle for the database TLS check', (t: string) => t.replace(/^COPY .*rds-global-bundle.pem$/m, ''), 'docker-db-ca'],
    [
      'a compiler in the runtime stage',
      (t: string) => t.replace(/^WORKDIR \/app$/m, 'RUN apk add --no-cache g++\nWORKDIR /app'),
      'docker-no-compiler',
    ],
    ['an ADD from a URL', (t: string) => `${t}\nADD https://example.com/x.tgz /tmp/\n`, 'docker-add-url'],
    ['a malformed instruction', (t: string) => `${t}\nCOPY onlyone\n`, 'docker-lint'],
    ['a deprecated instruction', (t: string) => t.replace(/^WORKDIR \/app$/m, 'MAINTAINER someone\nWORKDIR /app'), 'docker-lint'],
  ])('when the Dockerfile has %s, then it is rejected', (_what, change, rule) => {
    const files = { ...pristine, dockerfile: { file: 'Dockerfile', text: change(pristine.dockerfile!.text) } };
    expect(checkInfra(files).map((f) => f.rule)).toContain(rule);
  });

  it('when .dockerignore lets node_modules in, then it is rejected', () => {
    const files = { ...pristine, dockerignore: pristine.dockerignore!.replace('**/node_modules', '') };
    expect(checkInfra(files).map((f) => `${f.rule} ${f.message}`)).toContain('dockerignore must exclude node_modules');
  });

  it.each(['mis-indented-healthcheck.yml', 'duplicate-key.yml'])('when the fixture %s is read, then it is rejected', (fixture) => {
    const text = readFileSync(join(__dirname, 'fixtures', fixture), 'utf8');
    const check = () => {
      const files = { ...structuredClone(pristine), services: [{ file: USERS, data: parseYaml(text, fixture), text }] };
      return rulesOf(files);
    };
    if (fixture === 'duplicate-key.yml') expect(check).toThrow(/duplicate|unique/i);
    else expect(check()).toEqual(expect.arrayContaining([`unknown-key ${USERS}: http.interval`, `unknown-key ${USERS}: http.timeout`]));
  });
});
