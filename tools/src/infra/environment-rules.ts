import { contains, overlaps, parseCidr } from './cidr';
import type { Report } from './findings';
import type { EnvironmentManifest } from './schemas';

/** Subnets inside the VPC, apart from each other, over at least two AZs, the same AZs public and private. */
export function checkEnvironment(env: EnvironmentManifest, report: Report): void {
  const vpc = parseCidr(env.network.vpc.cidr);
  if (!vpc) {
    report('network.vpc.cidr', 'cidr', `${env.network.vpc.cidr} is not an IPv4 CIDR block`);
    return;
  }
  const subnets = (['public', 'private'] as const).flatMap((kind) =>
    env.network.vpc.subnets[kind].map((s, i) => ({ ...s, kind, path: `network.vpc.subnets.${kind}[${i}]`, block: parseCidr(s.cidr) })),
  );
  for (const subnet of subnets) {
    if (!subnet.block) report(`${subnet.path}.cidr`, 'cidr', `${subnet.cidr} is not an IPv4 CIDR block`);
    else if (!contains(vpc, subnet.block))
      report(`${subnet.path}.cidr`, 'subnet-in-vpc', `${subnet.cidr} is outside the VPC ${env.network.vpc.cidr}`);
  }
  subnets.forEach((a, i) =>
    subnets.slice(i + 1).forEach((b) => {
      if (a.block && b.block && overlaps(a.block, b.block)) report(`${b.path}.cidr`, 'subnet-overlap', `${b.cidr} overlaps ${a.cidr} (${a.path})`);
    }),
  );
  const azs = (kind: 'public' | 'private') => [...new Set(env.network.vpc.subnets[kind].map((s) => s.az))].sort();
  for (const kind of ['public', 'private'] as const) {
    if (azs(kind).length < 2)
      report(`network.vpc.subnets.${kind}`, 'subnet-azs', `needs subnets in at least two availability zones (has ${azs(kind).join(', ') || 'none'})`);
  }
  if (azs('public').join() !== azs('private').join()) {
    report(
      'network.vpc.subnets',
      'subnet-az-match',
      `public subnets are in ${azs('public').join(', ')} but private ones in ${azs('private').join(', ')}`,
    );
  }
}

/** A YAML comment line by which a test environment accepts an ALB without TLS. */
export const plainHttpOptOut = /^#\s*verify-infra:\s*allow-plain-http\b/m;
const certificate = /^(arn:aws:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}|\$\{[A-Za-z_][A-Za-z0-9_]*\})$/;

/** The ALB terminates TLS with an ACM certificate given at deploy time, unless the manifest opts out. */
export function checkTls(env: EnvironmentManifest, text: string, report: Report): void {
  const certificates = env.http?.public?.certificates ?? [];
  if (certificates.length === 0 && !plainHttpOptOut.test(text)) {
    report(
      'http.public.certificates',
      'tls',
      'no certificate: the ALB would carry passwords and tokens in clear HTTP. List an ACM certificate (- ${FORUM_CERTIFICATE_ARN}), or, for a test environment only, add the line "# verify-infra: allow-plain-http"',
    );
  }
  certificates.forEach((arn, i) => {
    if (!certificate.test(arn))
      report(`http.public.certificates[${i}]`, 'tls', `${arn} is neither an ACM certificate ARN nor a \${VARIABLE} Copilot interpolates`);
  });
}
