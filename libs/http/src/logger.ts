import pino, { type Logger } from 'pino';
import { activeTraceId } from '@forum/telemetry';

export type { Logger } from 'pino';

/** How long a log line may wait in the batch on a quiet service. */
const FLUSH_EVERY_MS = 250;

/**
 * JSON lines on stdout, one logger per process; request loggers are its children. Lines are
 * written asynchronously in batches of up to 4 KiB (one write per batch, not per line), and at
 * least every 250 ms; the batch is flushed before a normal exit, and a SIGKILL loses at most it.
 */
export function createLogger(options: { service: string; level: string }): Logger {
  const destination = pino.destination({ dest: 1, sync: false, minLength: 4096 });
  setInterval(() => destination.flush(), FLUSH_EVERY_MS).unref();
  return pino(
    {
      level: options.level,
      base: { service: options.service },
      timestamp: isoTime,
      formatters: { level: (label) => ({ level: label }) },
      // The trace of the request on every line it logs, to go from a log line to its trace.
      mixin: () => {
        const traceId = activeTraceId();
        return traceId ? { traceId } : {};
      },
    },
    destination,
  );
}

/**
 * pino's ISO time, formatted once per millisecond instead of once per line: a busy service logs
 * many lines in the same millisecond.
 */
function isoTime(): string {
  const now = Date.now();
  if (now !== isoTime.ms) {
    isoTime.ms = now;
    isoTime.field = `,"time":"${new Date(now).toISOString()}"`;
  }
  return isoTime.field;
}
isoTime.ms = 0;
isoTime.field = '';

/** Writes out what the logger still holds. */
export const flushLogs = (logger: Logger): Promise<void> => new Promise((resolve) => logger.flush(() => resolve()));
