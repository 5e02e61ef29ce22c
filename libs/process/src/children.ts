import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/**
 * Sends `signal` to a running child and waits until it has exited, killing it after `graceMs`
 * when given; resolves to its exit code (null when a signal ended it). A child that already
 * exited is left alone.
 */
export async function stopChild(child: ChildProcess, options: { signal?: NodeJS.Signals; graceMs?: number } = {}): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const exited = once(child, 'exit');
  child.kill(options.signal ?? 'SIGTERM');
  const timer = options.graceMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), options.graceMs);
  await exited;
  clearTimeout(timer);
  return child.exitCode;
}
