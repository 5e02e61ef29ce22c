import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { affectedServices } from './affected';

const root = resolve(__dirname, '../../..');

/** A throwaway clone of this repository where each test commits one change. */
describe('affected services of a commit', () => {
  let repo: string;
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=test', ...args], { cwd: repo, encoding: 'utf8' });
  const commitChange = (file: string) => {
    appendFileSync(join(repo, file), '\n// touched\n');
    git('commit', '-qam', `touch ${file}`);
  };

  beforeAll(() => {
    repo = mkdtempSync(join(tmpdir(), 'forum-affected-'));
    execFileSync('git', ['clone', '-q', root, repo]);
    symlinkSync(join(root, 'node_modules'), join(repo, 'node_modules'));
  });
  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  it('when one service changes, then only that service is deployed', () => {
    commitChange('apps/posts/src/main.ts');
    expect(affectedServices(repo, 'HEAD~1', 'HEAD')).toEqual(['posts']);
  }, 60000);

  it('when a lib changes, then every service that uses it is deployed', () => {
    commitChange('libs/service-client/src/service-client.ts');
    expect(affectedServices(repo, 'HEAD~1', 'HEAD')).toEqual(['posts', 'threads']);
  }, 60000);

  it('when only documentation changes, then nothing is deployed', () => {
    appendFileSync(join(repo, 'README.md'), '\nMore words.\n');
    git('commit', '-qam', 'docs');
    expect(affectedServices(repo, 'HEAD~1', 'HEAD')).toEqual([]);
  }, 60000);
});
