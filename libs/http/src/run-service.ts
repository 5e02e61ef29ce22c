import type Koa from 'koa';
import { ConfigError, loadConfig, type ConfigOf, type serviceEntries } from '@forum/config';
import { flushTracing } from '@forum/telemetry';
import { createLogger, flushLogs, type Logger } from './logger';
import { serve, type RunningService } from './serve';

type ServiceSpec = typeof serviceEntries;

export interface ServiceDefinition<S extends ServiceSpec> {
  service: string;
  config: S;
  /** Opens what the service needs (database, clients) and builds its app. */
  start: (config: ConfigOf<S>, logger: Logger) => Promise<{ app: Koa; close: () => Promise<void> }>;
}

/**
 * The whole life of a service process: validated config, logger, start, listen, and on
 * SIGTERM or SIGINT a drain then exit (a second signal exits at once, non-zero). Any failure
 * before listening is one clear message and exit code 1.
 */
export async function runService<S extends ServiceSpec>(definition: ServiceDefinition<S>): Promise<RunningService | undefined> {
  let config: ConfigOf<S>;
  try {
    config = loadConfig(definition.config);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${definition.service}: ${error.message}\n`);
    process.exitCode = 1;
    return undefined;
  }
  const logger = createLogger({ service: definition.service, level: config.LOG_LEVEL });
  try {
    const { app, close } = await definition.start(config, logger);
    const running = await serve(app, {
      port: config.PORT,
      host: config.HOST,
      logger,
      keepAliveTimeoutMs: config.KEEP_ALIVE_TIMEOUT_MS,
      shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
      onClose: close,
    });
    logger.info({ startupMs: Math.round(process.uptime() * 1000) }, 'ready');
    const onSignal = (signal: NodeJS.Signals) => {
      if (running.shuttingDown) {
        logger.warn({ signal }, 'second signal: exiting now');
        logger.flush();
        process.exit(1);
      }
      void running.shutdown(signal).then(async (code) => {
        await flushTracing().catch((err: unknown) => logger.warn({ err }, 'could not send the last spans'));
        await flushLogs(logger);
        process.exit(code);
      });
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
    return running;
  } catch (err) {
    logger.fatal({ err }, 'could not start');
    await flushLogs(logger);
    process.exitCode = 1;
    return undefined;
  }
}
