import { ConfigError, loadConfig, tracingEntries } from '@forum/config';
import { startTracing } from './tracing';

/**
 * What a service's `tracing.ts` calls first of all: tracing as its OTEL_* config says. A bad
 * value starts nothing here; the service's own config check then stops it with the message.
 */
export function startTracingFromConfig(service: string): boolean {
  try {
    return startTracing(service, loadConfig(tracingEntries));
  } catch (error) {
    if (error instanceof ConfigError) return false;
    throw error;
  }
}
