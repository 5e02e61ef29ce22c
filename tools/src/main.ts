import { ConfigError } from '@forum/config';
import { benchCommand } from './bench/bench-command';
import { runCommand, ToolError, UsageError, usageOf, type Command } from './core/command';
import { lintWorkflowsCommand } from './infra/lint-workflows';
import { verifyInfraCommand } from './infra/verify-infra-command';
import { deployCommand, verifyCommand } from './pipeline/ecs-commands';
import { deployPlanCommand } from './pipeline/deploy-plan';
import { packageCommand } from './pipeline/package';
import { smokeCommand } from './pipeline/smoke';
import { startCommand } from './stack/start-command';

const commands = [
  startCommand,
  benchCommand,
  deployPlanCommand,
  packageCommand,
  deployCommand,
  verifyCommand,
  smokeCommand,
  lintWorkflowsCommand,
  verifyInfraCommand,
] as unknown as Command[];

function list(): string {
  const rows = commands.map((c) => `  ${c.name.padEnd(15)} ${c.summary}`);
  return `Usage: node dist/tools/main.js <command> [options]   (<command> --help for its options)\n\nCommands:\n${rows.join('\n')}\n`;
}

async function main([name, ...args]: string[]): Promise<void> {
  const command = commands.find((c) => c.name === name);
  if (!command) {
    process.stdout.write(list());
    if (name !== undefined && name !== '--help') {
      process.stderr.write(`unknown command ${name}\n`);
      process.exitCode = 2;
    }
    return;
  }
  try {
    await runCommand(command, args);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${command.name}: ${error.message}\n\n${usageOf(command)}`);
      process.exit(2);
    }
    throw error;
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const known = error instanceof ToolError || error instanceof ConfigError;
  process.stderr.write(`${known ? (error as Error).message : String((error as Error).stack ?? error)}\n`);
  process.exit(1);
});
