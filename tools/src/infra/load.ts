import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseYaml } from './yaml';

export interface LoadedFile {
  /** Path relative to the repository root. */
  file: string;
  data: unknown;
}

/** Everything the deployment is made of, read from a repository checkout. */
export interface InfraFiles {
  root: string;
  workspace?: LoadedFile | undefined;
  environments: LoadedFile[];
  services: LoadedFile[];
  pipelines: { manifest: LoadedFile; buildspec?: LoadedFile | undefined }[];
  addons: LoadedFile[];
  dockerfile?: { file: string; text: string } | undefined;
  dockerignore?: string | undefined;
  /** Service apps of the Nx workspace (projects tagged type:app). */
  apps: string[];
}

const dirs = (path: string) => (existsSync(path) ? readdirSync(path, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name) : []);

export function loadInfra(root: string): InfraFiles {
  const load = (file: string): LoadedFile | undefined =>
    existsSync(join(root, file)) ? { file, data: parseYaml(readFileSync(join(root, file), 'utf8'), file) } : undefined;
  const copilot = join(root, 'copilot');
  const defined = <T>(items: (T | undefined)[]) => items.filter((i): i is T => i !== undefined);
  const text = (file: string) => (existsSync(join(root, file)) ? readFileSync(join(root, file), 'utf8') : undefined);
  const dockerfile = text('Dockerfile');
  return {
    root,
    workspace: load('copilot/.workspace'),
    environments: defined(dirs(join(copilot, 'environments')).filter((d) => d !== 'addons').map((env) => load(`copilot/environments/${env}/manifest.yml`))),
    services: defined(dirs(copilot).filter((d) => d !== 'environments' && d !== 'pipelines').map((svc) => load(`copilot/${svc}/manifest.yml`))),
    pipelines: defined(dirs(join(copilot, 'pipelines')).map((p) => load(`copilot/pipelines/${p}/manifest.yml`))).map((manifest) => ({
      manifest,
      buildspec: load(manifest.file.replace(/manifest\.yml$/, 'buildspec.yml')),
    })),
    addons: existsSync(join(copilot, 'environments/addons'))
      ? defined(readdirSync(join(copilot, 'environments/addons')).filter((f) => f.endsWith('.yml')).map((f) => load(`copilot/environments/addons/${f}`)))
      : [],
    dockerfile: dockerfile === undefined ? undefined : { file: 'Dockerfile', text: dockerfile },
    dockerignore: text('.dockerignore'),
    apps: dirs(join(root, 'apps')).filter((app) => {
      const project = text(`apps/${app}/project.json`);
      return project !== undefined && (JSON.parse(project) as { tags?: string[] }).tags?.includes('type:app') === true;
    }),
  };
}
