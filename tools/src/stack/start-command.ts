import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import pinoPretty from 'pino-pretty';
import { env, loadConfig } from '@forum/config';
import { defineCommand } from '../core/command';
import { startStack } from './stack';

export const stackConfig = {
  ALB_PORT: env.port('Port of the local ALB that routes /api/* to the services.', 8080),
  USERS_PORT: env.port('Port of the users service.', 3001),
  THREADS_PORT: env.port('Port of the threads service.', 3002),
  POSTS_PORT: env.port('Port of the posts service.', 3003),
  DATA_DIR: env.string("Folder of the services' SQLite files.", './data'),
  DEMO_DATA: env.boolean('Insert the demo data into empty databases.', true),
};

const write = (text: string) => process.stdout.write(text);

/** `npm start`: the whole system on this machine, the same paths as behind the ALB. */
export const startCommand = defineCommand({
  name: 'start',
  summary: 'run the three services and the local ALB (npm start)',
  description: `Runs the three built services and the local ALB. Settings come from the environment:\n${Object.entries(stackConfig)
    .map(([name, entry]) => `  ${name}: ${entry.description ?? ''}`)
    .join('\n')}`,
  options: {},
  run: start,
});

async function start(): Promise<void> {
  const config = loadConfig(stackConfig);
  const pretty = process.stdout.isTTY;
  const stack = await startStack({
    albPort: config.ALB_PORT,
    ports: { users: config.USERS_PORT, threads: config.THREADS_PORT, posts: config.POSTS_PORT },
    dataDir: resolve(config.DATA_DIR),
    distDir: resolve(__dirname, '..', 'apps'),
    copilotDir: resolve(__dirname, '..', '..', 'copilot'),
    demoData: config.DEMO_DATA,
    env: process.env,
    notice: (line) => write(`[stack] ${line}\n`),
    // JSON lines as the services write them; readable ones on a terminal.
    output: (_service, stream: Readable) => {
      if (pretty) stream.pipe(pinoPretty({ colorize: true, ignore: 'pid,hostname', translateTime: 'SYS:HH:MM:ss.l' }));
      else stream.pipe(process.stdout, { end: false });
    },
  });
  write(
    [
      '',
      `Forum API on ${stack.albUrl} (data in ${resolve(config.DATA_DIR)})`,
      `  API docs: ${stack.albUrl}/docs`,
      `  curl ${stack.albUrl}/api/users`,
      `  curl ${stack.albUrl}/api/threads`,
      `  curl ${stack.albUrl}/api/posts/in-thread/1`,
      'Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    write(`\n${signal}: stopping the services...\n`);
    void stack.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}
