import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '../../..');
const verify = (cwd: string) => spawnSync(process.execPath, [join(root, 'dist/tools/main.js'), 'verify-infra', cwd], { encoding: 'utf8' });

/** `verify-infra` with its live check: each built service is started and asked its manifest's health path. */
describe('verify-infra on the built services', () => {
  it('when run on the repository, then everything passes, the running apps included', () => {
    const result = verify(root);
    expect(result.stdout).toMatch(/^verify:infra: OK \(3 services/m);
    expect(result.status).toBe(0);
  });

  it('when a manifest names a health path the app does not answer, then it fails naming file and rule', () => {
    const copy = mkdtempSync(join(tmpdir(), 'forum-verify-'));
    try {
      for (const entry of ['copilot', 'Dockerfile', '.dockerignore']) cpSync(join(root, entry), join(copy, entry), { recursive: true });
      for (const app of ['users', 'threads', 'posts']) {
        mkdirSync(join(copy, 'apps', app), { recursive: true });
        cpSync(join(root, 'apps', app, 'project.json'), join(copy, 'apps', app, 'project.json'));
      }
      symlinkSync(join(root, 'dist'), join(copy, 'dist'));
      const manifest = join(copy, 'copilot/users/manifest.yml');
      writeFileSync(manifest, readFileSync(manifest, 'utf8').replace("path: '/api/users/health'", "path: '/api/users/healthz'"));
      const result = verify(copy);
      expect(result.status).toBe(1);
      expect(result.stdout).toContain(
        'copilot/users/manifest.yml: http.healthcheck.path: [health-live] GET /api/users/healthz answered 404 on the running app, not 200',
      );
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
