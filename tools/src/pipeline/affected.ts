import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The source stage's question: which deployable services does a commit range touch? Nx answers
 * from the project graph (a lib change affects every service using it); a service is deployable
 * when it has a Copilot manifest.
 */
export function affectedServices(root: string, base: string, head: string): string[] {
  const nx = spawnSync(process.execPath, [join(root, 'node_modules/nx/dist/bin/nx.js'), 'show', 'projects', '--affected', '--type', 'app', `--base=${base}`, `--head=${head}`, '--json'], {
    cwd: root,
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
    encoding: 'utf8',
  });
  if (nx.status !== 0) throw new Error(`nx could not compute affected projects: ${nx.stderr.trim().split('\n').at(-1)}`);
  const projects = JSON.parse(nx.stdout) as string[];
  return projects.filter((p) => existsSync(join(root, 'copilot', p, 'manifest.yml'))).sort();
}

export async function affectedCommand(args: string[]): Promise<void> {
  const option = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  if (args.includes('--help')) {
    process.stdout.write('Usage: affected [--base=<rev>=HEAD~1] [--head=<rev>=HEAD]\nPrints the deployable services the range affects, as a JSON array.\n');
    return;
  }
  process.stdout.write(`${JSON.stringify(affectedServices(process.cwd(), option('base') ?? 'HEAD~1', option('head') ?? 'HEAD'))}\n`);
}
