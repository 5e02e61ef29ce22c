import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`); playwright-core downloads no browser of its own. */
export const CHROMIUM = '/usr/bin/chromium';

/** Whether the browser tests can run here; CI must be able to, a laptop may skip them (said so). */
export function chromiumAvailable(env: NodeJS.ProcessEnv = process.env): boolean {
  if (spawnSync(CHROMIUM, ['--version']).status === 0) return true;
  if (env['CI'] === 'true') throw new Error(`${CHROMIUM} is not installed, and CI requires it (apt-get install chromium)`);
  return false;
}

/** Headless Chromium on a fresh profile that talks to nothing but the pages it is sent to. */
export function launchChromium(): Promise<BrowserContext> {
  return chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'forum-chromium-')), {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 1600 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
