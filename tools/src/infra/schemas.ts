import { z } from 'zod';

/**
 * The parts of Copilot's manifest formats this project uses, as strict schemas: a key Copilot
 * does not know (or that is mis-indented into the wrong map) fails here, where Copilot itself
 * would silently ignore it.
 */

const DURATION = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+(?:\.\d+)?)s)?$|^(\d+)ms$/;

/** Seconds of a Copilot duration string ("30s", "1m30s", "250ms"), or undefined if malformed. */
export function durationSeconds(value: string): number | undefined {
  const match = DURATION.exec(value);
  if (!match || value === '') return undefined;
  const [, h, m, s, ms] = match;
  return Number(h ?? 0) * 3600 + Number(m ?? 0) * 60 + Number(s ?? 0) + Number(ms ?? 0) / 1000;
}

export const duration = z.string().refine((v) => durationSeconds(v) !== undefined, {
  message: 'is not a duration (e.g. "30s", "1m30s", "250ms")',
});

const cooldown = z.strictObject({ in: duration.optional(), out: duration.optional() });
const scalingMetric = z.union([z.number(), z.strictObject({ value: z.number(), cooldown: cooldown.optional() })]);
const stringMap = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));

const serviceFields = {
  http: z.strictObject({
    path: z.string(),
    healthcheck: z.union([
      z.string(),
      z.strictObject({
        path: z.string().optional(),
        port: z.number().int().optional(),
        success_codes: z.string().optional(),
        healthy_threshold: z.number().int().optional(),
        unhealthy_threshold: z.number().int().optional(),
        interval: duration.optional(),
        timeout: duration.optional(),
        grace_period: duration.optional(),
      }),
    ]),
    deregistration_delay: duration.optional(),
    redirect_to_https: z.boolean().optional(),
    alias: z.union([z.string(), z.array(z.string())]).optional(),
    hosted_zone: z.string().optional(),
    allowed_source_ips: z.array(z.string()).optional(),
    stickiness: z.boolean().optional(),
    version: z.enum(['http1', 'http2', 'grpc']).optional(),
  }),
  image: z.strictObject({
    build: z.union([
      z.string(),
      z.strictObject({
        dockerfile: z.string(),
        context: z.string().optional(),
        args: stringMap.optional(),
        target: z.string().optional(),
      }),
    ]),
    port: z.number().int(),
    healthcheck: z
      .strictObject({
        command: z.array(z.string()).min(2),
        interval: duration.optional(),
        timeout: duration.optional(),
        retries: z.number().int().optional(),
        start_period: duration.optional(),
      })
      .optional(),
  }),
  cpu: z.number().int(),
  memory: z.number().int(),
  platform: z.string().optional(),
  count: z.union([
    z.number().int(),
    z.strictObject({
      range: z.union([z.string(), z.strictObject({ min: z.number().int(), max: z.number().int(), spot_from: z.number().int().optional() })]),
      cooldown: cooldown.optional(),
      cpu_percentage: scalingMetric.optional(),
      memory_percentage: scalingMetric.optional(),
      requests: scalingMetric.optional(),
      response_time: z.union([duration, z.strictObject({ value: duration, cooldown: cooldown.optional() })]).optional(),
    }),
  ]),
  exec: z.boolean().optional(),
  network: z
    .strictObject({
      connect: z.union([z.boolean(), z.strictObject({ alias: z.string() })]).optional(),
      vpc: z.strictObject({ placement: z.enum(['public', 'private']) }).optional(),
    })
    .optional(),
  deployment: z
    .strictObject({
      rolling: z.enum(['default', 'recreate']).optional(),
      rollback_alarms: z
        .union([z.array(z.string()), z.strictObject({ cpu_utilization: z.number().optional(), memory_utilization: z.number().optional() })])
        .optional(),
    })
    .optional(),
  storage: z
    .strictObject({
      readonly_fs: z.boolean().optional(),
      ephemeral: z.number().int().optional(),
      volumes: z.record(z.string(), z.strictObject({ path: z.string(), read_only: z.boolean().optional() })).optional(),
    })
    .optional(),
  // Copilot runs the AWS Distro for OpenTelemetry collector as a sidecar and sends its traces to X-Ray.
  observability: z.strictObject({ tracing: z.literal('awsxray') }).optional(),
  variables: stringMap.optional(),
  secrets: z
    .record(z.string(), z.union([z.string(), z.strictObject({ from_cfn: z.string() }), z.strictObject({ secretsmanager: z.string() })]))
    .optional(),
  taskdef_overrides: z.array(z.strictObject({ path: z.string(), value: z.unknown() })).optional(),
};

/** A Load Balanced Web Service manifest; `environments.<env>` may override any field. */
export const serviceManifest = z.strictObject({
  name: z.string(),
  type: z.literal('Load Balanced Web Service'),
  ...serviceFields,
  environments: z.record(z.string(), z.strictObject(serviceFields).partial()).optional(),
});

const subnet = z.strictObject({ cidr: z.string(), az: z.string() });

export const environmentManifest = z.strictObject({
  name: z.string(),
  type: z.literal('Environment'),
  network: z.strictObject({
    vpc: z.strictObject({
      cidr: z.string(),
      subnets: z.strictObject({ public: z.array(subnet), private: z.array(subnet) }),
    }),
  }),
  http: z
    .strictObject({
      public: z.strictObject({ certificates: z.array(z.string()).optional(), ssl_policy: z.string().optional() }).optional(),
    })
    .optional(),
  observability: z.strictObject({ container_insights: z.boolean() }).optional(),
});

export const pipelineManifest = z.strictObject({
  name: z.string(),
  version: z.literal(1),
  source: z.strictObject({
    provider: z.string(),
    properties: z.strictObject({
      branch: z.string(),
      repository: z.string(),
      connection_name: z.string().optional(),
      connection_arn: z.string().optional(),
      output_artifact_format: z.enum(['CODE_ZIP', 'CODEBUILD_CLONE_REF']).optional(),
    }),
  }),
  build: z
    .strictObject({
      image: z.string().optional(),
      buildspec: z.string().optional(),
      additional_policy: z.strictObject({ PolicyDocument: z.record(z.string(), z.unknown()) }).optional(),
    })
    .optional(),
  stages: z
    .array(
      z.strictObject({
        name: z.string(),
        requires_approval: z.boolean().optional(),
        test_commands: z.array(z.string()).optional(),
        pre_deployments: z.record(z.string(), z.unknown()).optional(),
        deployments: z.record(z.string(), z.unknown()).optional(),
        post_deployments: z.record(z.string(), z.unknown()).optional(),
      }),
    )
    .min(1),
});

export const workspaceFile = z.strictObject({ application: z.string().regex(/^[a-z][a-z0-9-]*$/) });

export type ServiceManifest = z.output<typeof serviceManifest>;
export type EnvironmentManifest = z.output<typeof environmentManifest>;
export type PipelineManifest = z.output<typeof pipelineManifest>;
