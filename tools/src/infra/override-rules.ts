import { z } from 'zod';
import type { Report } from './findings';
import type { OverrideFile } from './load';
import type { EnvironmentManifest, ServiceManifest } from './schemas';

/**
 * Copilot is past end of support and its last release declares the custom-resource Lambda
 * functions of its templates on nodejs20.x, which Lambda no longer lets anyone create or update.
 * Each stack therefore needs a YAML patch moving exactly the functions it has to a supported
 * runtime: a patch of a function the template lacks fails the deploy too.
 */
export const supportedRuntimes = ['nodejs22.x', 'nodejs24.x'];

/** Copilot's YAML-patch format (`cfn.patches.yml`). */
export const patchesFile = z.array(
  z.strictObject({
    op: z.enum(['add', 'remove', 'replace']),
    path: z.string().regex(/^\//, 'must be a JSON pointer (/Resources/...)'),
    value: z.unknown().optional(),
  }),
);

// Which functions Copilot's templates (aws/copilot-cli internal/pkg/template/templates) declare:
// workloads/partials/cf/env-controller.yml always, alb.yml with an `http:` listener rule,
// autoscaling.yml with a `count` range; environment/partials/lambdas.yml unless the
// environment imports its certificates (environment/cf.yml).
export function serviceFunctions(svc: Pick<ServiceManifest, 'http' | 'count'>): string[] {
  return [
    'EnvControllerFunction',
    ...(svc.http ? ['RulePriorityFunction'] : []),
    ...(typeof svc.count === 'object' ? ['DynamicDesiredCountFunction'] : []),
  ];
}

export function environmentFunctions(env: Pick<EnvironmentManifest, 'http'>): string[] {
  return (env.http?.public?.certificates?.length ?? 0) > 0 ? [] : ['CertificateValidationFunction', 'CustomDomainFunction', 'DNSDelegationFunction'];
}

/** The overrides of one stack against the functions its template has. */
export function checkLambdaRuntimes(functions: string[], overrides: OverrideFile | undefined, report: Report): void {
  const parsed = overrides ? patchesFile.safeParse(overrides.data) : undefined;
  if (parsed && !parsed.success) {
    for (const issue of parsed.error.issues) report(issue.path.map(String).join('.'), 'override-schema', issue.message);
    return;
  }
  const patches = parsed?.data ?? [];
  for (const fn of functions) {
    const patch = patches.find((p) => p.path === `/Resources/${fn}/Properties/Runtime`);
    if (!patch)
      report(
        '',
        'lambda-runtime',
        `Copilot declares ${fn} on nodejs20.x, which Lambda refuses: add {op: replace, path: /Resources/${fn}/Properties/Runtime, value: nodejs22.x}`,
      );
    else if (patch.op !== 'replace' || !supportedRuntimes.includes(String(patch.value))) {
      report(
        patch.path,
        'lambda-runtime',
        `must replace the runtime with one of ${supportedRuntimes.join(', ')} (got ${patch.op} ${JSON.stringify(patch.value)})`,
      );
    }
  }
  for (const patch of patches) {
    const target = /^\/Resources\/([^/]+Function)(\/|$)/.exec(patch.path)?.[1];
    if (target && !functions.includes(target)) {
      report(
        patch.path,
        'override-target',
        `Copilot creates no ${target} for this manifest (it has ${functions.join(', ') || 'no Lambda function'}): the patch would fail the deploy`,
      );
    }
  }
}
