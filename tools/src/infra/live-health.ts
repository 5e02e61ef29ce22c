import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateTokenKeys, tokenKeyEnv } from '@forum/auth';
import { firstAnswer, freePort, stopChild } from '@forum/process';
import type { Finding } from './findings';
import type { InfraFiles } from './load';
import { serviceManifest } from './schemas';

/** Starts each built service and asks its manifest's health check path, as the ALB will. */
export async function checkHealthRoutes(files: InfraFiles, distDir: string): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const file of files.services) {
    const parsed = serviceManifest.safeParse(file.data);
    if (!parsed.success) continue;
    const svc = parsed.data;
    const report = (message: string) => findings.push({ file: file.file, path: 'http.healthcheck.path', rule: 'health-live', message });
    const bundle = join(distDir, svc.name, 'main.js');
    if (!existsSync(bundle)) {
      report(`${bundle} is not built (npx nx build ${svc.name})`);
      continue;
    }
    const path = typeof svc.http.healthcheck === 'string' ? svc.http.healthcheck : (svc.http.healthcheck.path ?? '/');
    const status = await healthOf(bundle, path);
    if (status !== 200) report(`GET ${path} answered ${status || 'nothing'} on the running app, not 200`);
  }
  return findings;
}

async function healthOf(bundle: string, path: string): Promise<number> {
  const port = await freePort();
  const data = mkdtempSync(join(tmpdir(), 'forum-verify-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...tokenKeyEnv(generateTokenKeys()),
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: data,
    LOG_LEVEL: 'silent',
  };
  delete env['DATABASE_URL'];
  const child = spawn(process.execPath, [bundle], { env, stdio: 'ignore' });
  try {
    return await firstAnswer(`http://127.0.0.1:${port}${path}`, child, 10000);
  } finally {
    await stopChild(child);
    rmSync(data, { recursive: true, force: true });
  }
}
