import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

/** JSON lines on stdout, one logger per process; request loggers are its children. */
export function createLogger(options: { service: string; level: string }): Logger {
  return pino({
    level: options.level,
    base: { service: options.service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  });
}
