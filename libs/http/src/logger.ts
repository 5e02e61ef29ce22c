import pino, { type Logger } from 'pino';
import { activeTraceId } from '@forum/telemetry';

export type { Logger } from 'pino';

/** How long a log line may wait in the batch on a quiet service. */
const FLUSH_EVERY_MS = 250;

/**
 * JSON lines on stdout (or `fd`), one logger per process; request loggers are its children. Lines
 * are written asynchronously in batches of up to 4 KiB (one write per batch, not per line), and at
 * least every 250 ms; the batch is flushed before a normal exit, and a SIGKILL loses at most it.
 */
export function createLogger(options: { service: string; level: string; fd?: number }): Logger {
  // SonicBoom (pino's destination) keeps a batch of text as one string grown line by line and
  // measures it in bytes at every line, which copies the whole batch each time: 3-6 KB of garbage a
  // request here. In its buffer mode it keeps each line's bytes and their length, and joins them
  // once per write.
  const destination = pino.destination({ dest: options.fd ?? 1, sync: false, minLength: 4096, contentMode: 'buffer' });
  // Its types know only the text mode's write.
  const writeBytes = destination.write.bind(destination) as unknown as (line: Buffer) => boolean;
  setInterval(() => destination.flush(), FLUSH_EVERY_MS).unref();
  const lines = { write: (line: string) => writeBytes(Buffer.from(line)), flush: (done: () => void) => destination.flush(done) };
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
    lines,
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
