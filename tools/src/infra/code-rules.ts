import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { validate } from 'dockerfile-utils';
import { loadConfig, serviceEntries, tokenCheckEntries, tokenIssueEntries } from '@forum/config';
import { servicePrefixes } from '@forum/contracts';
import type { Report } from './findings';
import type { ServiceManifest } from './schemas';

const { PORT: servicePort, DB_CA_FILE: databaseCaFile } = loadConfig(serviceEntries, {});
/** The token key each service needs: users signs, the others check. */
const [signingKey = '', checkingKey = ''] = [Object.keys(tokenIssueEntries)[0], Object.keys(tokenCheckEntries)[0]];
const tokenKeyOf = (service: string): string => (service === 'users' ? signingKey : checkingKey);

/** A service manifest against the code it deploys: port, path prefix, health path, image build. */
export function checkServiceAgainstCode(svc: ServiceManifest, root: string, report: Report): void {
  const prefix = (servicePrefixes as Record<string, string | undefined>)[svc.name];
  if (!prefix) {
    report('name', 'manifest-without-app', `no service ${svc.name} in the code (services: ${Object.keys(servicePrefixes).join(', ')})`);
    return;
  }
  if (`/${svc.http.path.replace(/^\/+/, '')}` !== prefix)
    report('http.path', 'path-prefix', `must be the prefix the app serves, ${prefix.slice(1)} (got ${svc.http.path})`);
  if (svc.image.port !== servicePort) report('image.port', 'port', `the app listens on ${servicePort} (got ${svc.image.port})`);
  const hcPath = typeof svc.http.healthcheck === 'string' ? svc.http.healthcheck : svc.http.healthcheck.path;
  if (hcPath !== `${prefix}/health` && hcPath !== `${prefix}/ready`) {
    report('http.healthcheck.path', 'health-path', `must be ${prefix}/health, the route the ALB can reach (got ${hcPath})`);
  }
  const key = tokenKeyOf(svc.name);
  if (!svc.secrets?.[key]) report('secrets', 'token-key', `${key} must come from a secret (copilot secret init --name ${key})`);
  if (svc.variables && key in svc.variables) report(`variables.${key}`, 'token-key', `${key} must be a secret, not a plain variable`);
  const build = typeof svc.image.build === 'string' ? { dockerfile: svc.image.build } : svc.image.build;
  if (!existsSync(join(root, build.context ?? '.', build.dockerfile)))
    report('image.build.dockerfile', 'dockerfile', `${build.dockerfile} does not exist`);
  if ((build.context ?? '.') !== '.') report('image.build.context', 'dockerfile', 'the build context must be the repository root (.)');
  if ('args' in build && build.args?.['SERVICE'] !== svc.name) report('image.build.args.SERVICE', 'dockerfile', `must be ${svc.name}`);
}

/** What a Dockerfile must do for these services; offline, with no engine. */
export function checkDockerfile(text: string, dockerignore: string | undefined, report: Report): void {
  // Syntax and instruction checks of the Dockerfile language server's linter, then ours.
  for (const problem of validate(text)) {
    report(`line ${problem.range.start.line + 1}`, 'docker-lint', typeof problem.message === 'string' ? problem.message : problem.message.value);
  }
  const syntax = /^#\s*syntax\s*=\s*(\S+)/im.exec(text)?.[1];
  if (syntax && !/@sha256:[0-9a-f]{64}$/.test(syntax))
    report(
      '# syntax',
      'docker-syntax',
      `the BuildKit frontend ${syntax} would be pulled from Docker Hub unpinned: drop the line or pin it by digest`,
    );
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  // Global ARG defaults, as FROM lines may name their image through them.
  const args = Object.fromEntries(
    lines
      .slice(
        0,
        lines.findIndex((l) => /^FROM\s/i.test(l)),
      )
      .map((l) => /^ARG\s+(\w+)=(\S+)/i.exec(l))
      .filter((m) => m !== null)
      .map((m) => [m[1], m[2]]),
  );
  const resolveArgs = (l: string) => l.replace(/\$\{(\w+)\}|\$(\w+)/g, (whole, a?: string, b?: string) => args[a ?? b ?? ''] ?? whole);
  const stages = lines.map((l, i) => ({ l: resolveArgs(l), i })).filter(({ l }) => /^FROM\s/i.test(l));
  if (stages.length < 2) report('FROM', 'docker-multi-stage', 'needs a build stage and a runtime stage');
  for (const { l } of stages) {
    if (!/^FROM\s+(--platform=\S+\s+)?public\.ecr\.aws\//i.test(l)) report('FROM', 'docker-base', `pull bases from ECR Public, not Docker Hub: ${l}`);
    if (!/alpine/i.test(l)) report('FROM', 'docker-base', `use an Alpine base: ${l}`);
    if (!/@sha256:[0-9a-f]{64}(\s|$)/.test(l)) report('FROM', 'docker-digest', `pin the base by digest (tools/scripts/refresh-base-image.sh): ${l}`);
    if (!/\/node:24[.-]/.test(l)) report('FROM', 'docker-node', `the image runs Node 24, the active LTS line the suite is tested on: ${l}`);
  }
  const finalStage = lines.slice(stages.at(-1)?.i ?? 0);
  const user = finalStage.filter((l) => /^USER\s/i.test(l)).at(-1);
  if (!user || !/^USER\s+(1001|nodejs)\b/i.test(user)) report('USER', 'docker-user', 'the runtime stage must run as uid 1001 (nodejs)');
  const cmd = finalStage.filter((l) => /^CMD\s/i.test(l)).at(-1);
  if (!cmd || !/^CMD\s+\[\s*"node"/i.test(cmd))
    report('CMD', 'docker-cmd', 'the runtime stage needs an exec-form CMD ["node", ...] so Node is PID 1 and gets SIGTERM');
  if (!finalStage.some((l) => /^HEALTHCHECK\s+/i.test(l))) report('HEALTHCHECK', 'docker-healthcheck', 'the runtime stage needs a HEALTHCHECK');
  if (lines.some((l) => /^ADD\s+https?:/i.test(l))) report('ADD', 'docker-add-url', 'do not ADD from URLs; fetch in a build step with a checksum');
  if (finalStage.some((l) => /apk add.*(g\+\+|gcc|make|python3)/i.test(l))) report('RUN', 'docker-no-compiler', 'no compiler in the runtime stage');
  const removed = finalStage.filter((l) => /\brm\b/.test(l) || /^\//.test(l)).join(' ');
  const kept = ['/usr/local/bin/npm', '/usr/local/bin/npx', '/usr/local/bin/corepack', '/usr/local/lib/node_modules/npm'].filter(
    (path) => !removed.includes(path),
  );
  if (kept.length > 0) report('RUN', 'docker-no-package-manager', `the runtime stage must remove the package managers: ${kept.join(', ')}`);
  if (!finalStage.some((l) => /^COPY\s/i.test(l) && l.endsWith(` ${databaseCaFile}`))) {
    report('COPY', 'docker-db-ca', `the runtime stage needs the RDS CA bundle at ${databaseCaFile} (DB_CA_FILE's default) to verify the database`);
  }
  for (const entry of ['node_modules', '.git', 'dist']) {
    if (!dockerignore?.split('\n').some((l) => l.trim().replace(/^\*\*\//, '') === entry))
      report('.dockerignore', 'dockerignore', `must exclude ${entry}`);
  }
}
