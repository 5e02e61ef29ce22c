import type { ChildProcess } from 'node:child_process';

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
    const ready = await fetch(readyUrl, { signal: AbortSignal.timeout(1000) }).then((res) => res.ok, () => false);
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs));
  }
}
