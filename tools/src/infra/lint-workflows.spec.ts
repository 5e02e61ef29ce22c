import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { lintWorkflows, shellcheckAvailable } from './lint-workflows';

const root = resolve(__dirname, '../../..');

const withShellcheck = shellcheckAvailable();
if (!withShellcheck) process.stdout.write('lint-workflows spec: shellcheck is not installed, its checks are skipped here (CI requires it)\n');

describe('lint-workflows', () => {
  it('when the repository workflows are linted, then actionlint and shellcheck find nothing', async () => {
    expect(await lintWorkflows(root, withShellcheck)).toEqual([]);
  }, 30000);

  it('when shellcheck is missing, then a laptop skips it and CI fails with what to install', () => {
    expect(shellcheckAvailable({ PATH: '/nonexistent' })).toBe(false);
    expect(() => shellcheckAvailable({ PATH: '/nonexistent', CI: 'true' })).toThrow(
      'shellcheck is not installed, and CI requires it (apt-get install shellcheck)',
    );
  });

  it('when a workflow has an unknown key, a bad expression and an unquoted variable, then each is reported', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'forum-workflows-'));
    try {
      cpSync(join(root, '.github'), join(copy, '.github'), { recursive: true });
      const ci = join(copy, '.github/workflows/ci.yml');
      const broken = readFileSync(ci, 'utf8')
        .replace('timeout-minutes: 45', 'timeout-minutes: 45\n    runs_on: ubuntu-24.04')
        .replace('key: nx-node${{ matrix.node }}', 'key: nx-node${{ matrix.nodes }}')
        .replace('run: npm ci --no-audit --no-fund', 'run: cd $HOME && npm ci --no-audit --no-fund');
      writeFileSync(ci, broken);
      const rules = (await lintWorkflows(copy, withShellcheck)).map((f) => `${f.file} ${f.rule}`);
      expect(rules).toEqual(
        expect.arrayContaining([
          '.github/workflows/ci.yml actionlint/syntax-check',
          '.github/workflows/ci.yml actionlint/expression',
          ...(withShellcheck ? ['.github/workflows/ci.yml shellcheck'] : []),
        ]),
      );
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  }, 30000);
});
