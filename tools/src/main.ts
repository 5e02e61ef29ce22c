import { ConfigError } from '@forum/config';
import { benchCommand } from './bench/bench-command';
import { lintWorkflowsCommand } from './infra/lint-workflows';
import { verifyInfraCommand } from './infra/verify-infra-command';
import { DeployError } from './pipeline/ecs-deploy';
import { deployCommand, verifyCommand } from './pipeline/ecs-commands';
import { smokeCommand } from './pipeline/smoke';
import { deployPlanCommand } from './pipeline/deploy-plan';
import { packageCommand } from './pipeline/package';
import { startCommand } from './stack/start-command';

/** `ownHelp`: the command answers `--help` itself with its options. */
const commands: Record<string, { run: (args: string[]) => Promise<void>; help: string; ownHelp?: boolean }> = {
  start: { run: startCommand, help: 'run the three services and the local ALB (npm start)' },
  bench: { run: benchCommand, help: 'benchmark the services against a node:http baseline, or a deployment (--help)', ownHelp: true },
  'deploy-plan': { run: deployPlanCommand, help: 'what to deploy to an environment since the commit last deployed there, in order (--help)', ownHelp: true },
  package: { run: packageCommand, help: 'build and push each image to ECR, write imagedefinitions.json (--help)', ownHelp: true },
  deploy: { run: deployCommand, help: 'rolling ECS deployment of a new image, followed to the end (--help)', ownHelp: true },
  verify: { run: verifyCommand, help: 'rollout completed, running == desired, expected task definition live (--help)', ownHelp: true },
  'lint-workflows': { run: lintWorkflowsCommand, help: 'actionlint and shellcheck on .github/workflows, offline [root]' },
  smoke: { run: smokeCommand, help: 'HTTP checks of every service against a base URL (the ALB or localhost:8080)', ownHelp: true },
  'verify-infra': { run: verifyInfraCommand, help: 'check the Copilot manifests, addons and Dockerfile offline [root] [--no-live]' },
};

async function main(argv: string[]): Promise<void> {
  const [name, ...args] = argv;
  const command = name ? commands[name] : undefined;
  if (!command || (args.includes('--help') && !command.ownHelp)) {
    const list = Object.entries(commands).map(([n, c]) => `  ${n.padEnd(14)} ${c.help}`);
    process.stdout.write(`Usage: node dist/tools/main.js <command>\n\nCommands:\n${list.join('\n')}\n`);
    if (!command) process.exitCode = name === undefined || name === '--help' ? 0 : 2;
    return;
  }
  await command.run(args);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const known = error instanceof ConfigError || error instanceof DeployError || (error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION';
  process.stderr.write(`${known ? (error as Error).message : String((error as Error).stack ?? error)}\n`);
  process.exit(1);
});
