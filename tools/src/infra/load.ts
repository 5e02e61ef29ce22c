import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseYaml } from '../core/yaml';

export interface LoadedFile {
  /** Path relative to the repository root. */
  file: string;
  data: unknown;
  /** The file as written (for directives in comments). */
  text: string;
}

/** A `cfn.patches.yml` of Copilot's YAML-patch overrides: of the environments or of one service. */
export interface OverrideFile extends LoadedFile {
  owner: 'environments' | string;
}

/** Everything the deployment is made of, read from a repository checkout. */
export interface InfraFiles {
  root: string;
  workspace?: LoadedFile | undefined;
  environments: LoadedFile[];
  services: LoadedFile[];
  pipelines: { manifest: LoadedFile; buildspec?: LoadedFile | undefined }[];
  addons: LoadedFile[];
  overrides: OverrideFile[];
  /** Buildspecs outside the Copilot pipelines (the standalone CodeBuild project's). */
  buildspecs: LoadedFile[];
  dockerfile?: { file: string; text: string } | undefined;
  dockerignore?: string | undefined;
  /** Service apps of the Nx workspace (projects tagged type:app). */
  apps: string[];
}

const dirs = (path: string) =>
  existsSync(path)
    ? readdirSync(path, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
    : [];

export function loadInfra(root: string): InfraFiles {
  const load = (file: string): LoadedFile | undefined => {
    if (!existsSync(join(root, file))) return undefined;
    const text = readFileSync(join(root, file), 'utf8');
    return { file, data: parseYaml(text, file), text };
  };
  const copilot = join(root, 'copilot');
  const defined = <T>(items: (T | undefined)[]) => items.filter((i): i is T => i !== undefined);
  const text = (file: string) => (existsSync(join(root, file)) ? readFileSync(join(root, file), 'utf8') : undefined);
  const dockerfile = text('Dockerfile');
  const services = dirs(copilot).filter((d) => d !== 'environments' && d !== 'pipelines');
  return {
    root,
    workspace: load('copilot/.workspace'),
    environments: defined(
      dirs(join(copilot, 'environments'))
        .filter((d) => d !== 'addons')
        .map((env) => load(`copilot/environments/${env}/manifest.yml`)),
    ),
    services: defined(services.map((svc) => load(`copilot/${svc}/manifest.yml`))),
    pipelines: defined(dirs(join(copilot, 'pipelines')).map((p) => load(`copilot/pipelines/${p}/manifest.yml`))).map((manifest) => ({
      manifest,
      buildspec: load(manifest.file.replace(/manifest\.yml$/, 'buildspec.yml')),
    })),
    addons: existsSync(join(copilot, 'environments/addons'))
      ? defined(
          readdirSync(join(copilot, 'environments/addons'))
            .filter((f) => f.endsWith('.yml'))
            .map((f) => load(`copilot/environments/addons/${f}`)),
        )
      : [],
    overrides: defined(
      ['environments', ...services].map((owner) => {
        const file = load(`copilot/${owner}/overrides/cfn.patches.yml`);
        return file && { ...file, owner };
      }),
    ),
    buildspecs: defined([load('tools/buildspec.yml')]),
    dockerfile: dockerfile === undefined ? undefined : { file: 'Dockerfile', text: dockerfile },
    dockerignore: text('.dockerignore'),
    apps: dirs(join(root, 'apps')).filter((app) => {
      const project = text(`apps/${app}/project.json`);
      return project !== undefined && (JSON.parse(project) as { tags?: string[] }).tags?.includes('type:app') === true;
    }),
  };
}
