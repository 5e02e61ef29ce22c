import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(__dirname, '../../..');

/** What `nx affected` would run for a change touching these files. */
function affected(...files: string[]): string[] {
  const out = execFileSync(
    process.execPath,
    [require.resolve('nx/bin/nx'), 'show', 'projects', '--affected', `--files=${files.join(',')}`, '--json'],
    {
      cwd: root,
      env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
      encoding: 'utf8',
    },
  );
  return (JSON.parse(out) as string[]).sort();
}

describe('nx affected', () => {
  it('when one service changes, then only that service (and the end-to-end suite and deployment checks) is affected', () => {
    expect(affected('apps/threads/src/threads/threads.service.ts')).toEqual(['copilot', 'e2e', 'threads']);
  });

  it('when the Dockerfile or a manifest changes, then the deployment checks are affected', () => {
    expect(affected('Dockerfile')).toEqual(['copilot']);
    expect(affected('copilot/posts/manifest.yml')).toEqual(['copilot']);
  });

  it('when a shared lib changes, then the lib and every project that uses it are affected', () => {
    // tools uses it too (the local ALB answers with the services' headers), and the workflows check tools.
    expect(affected('libs/http/src/serve.ts')).toEqual(['copilot', 'e2e', 'http', 'posts', 'threads', 'tools', 'users', 'workflows']);
  });

  it('when the client of other services changes, then only its callers are affected, not users', () => {
    expect(affected('libs/service-client/src/service-client.ts')).toEqual(['copilot', 'e2e', 'posts', 'service-client', 'threads']);
  });

  it('when only documentation changes, then nothing is affected', () => {
    expect(affected('README.md')).toEqual([]);
  });
});
