import type { ChildProcess } from 'node:child_process';

const statusOf = (url: string) =>
  fetch(url, { signal: AbortSignal.timeout(1000) }).then(
    (r) => r.status,
    () => 0,
  );
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `url` until it answers `status` or the time is up; resolves to the last status (0: no answer). */
export async function waitForStatus(url: string, status = 200, timeoutMs = 15000, intervalMs = 50): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let last = 0;
  while (Date.now() < deadline) {
    last = await statusOf(url);
    if (last === status) return last;
    await pause(intervalMs);
  }
  return last;
}

/** Polls `url` until it answers anything, while `child` runs; resolves to that status (0: none in time or it exited). */
export async function firstAnswer(url: string, child: ChildProcess, timeoutMs: number, intervalMs = 100): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && child.exitCode === null) {
    const status = await statusOf(url);
    if (status !== 0) return status;
    await pause(intervalMs);
  }
  return 0;
}

/**
 * Polls `readyUrl` until it answers 2xx; fails when `child` exits first or `timeoutMs` passes.
 * `describe` names what is starting in those errors.
 */
export async function waitUntilReady(
  readyUrl: string,
  child: ChildProcess,
  options: { timeoutMs: number; intervalMs: number; describe: () => string },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${options.describe()} exited with code ${child.exitCode} during start-up`);
    if (Date.now() > deadline) throw new Error(`${options.describe()} was not ready after ${options.timeoutMs} ms`);
    const status = await statusOf(readyUrl);
    if (status >= 200 && status < 300) return;
    await pause(options.intervalMs);
  }
}
