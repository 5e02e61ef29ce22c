import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ServiceName } from '@forum/contracts';
import { parseYaml } from '../../core/yaml';

export interface AlbRoute {
  service: string;
  /** Matched as the ALB's path rules `<prefix>` and `<prefix>/*`; the prefix is not stripped. */
  pathPrefix: string;
  target: string;
}

/**
 * The ALB's listener rules, read from the Copilot manifests (`http.path` of each Load Balanced
 * Web Service) so that the local router and AWS cannot drift apart, pointed at local targets.
 */
export function albRoutes(copilotDir: string, targets: Record<ServiceName, string>): AlbRoute[] {
  return readdirSync(copilotDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name !== 'environments' && d.name !== 'pipelines')
    .map((d) => {
      const file = join(copilotDir, d.name, 'manifest.yml');
      const manifest = parseYaml(readFileSync(file, 'utf8'), file) as { name: string; type: string; http?: { path?: string } };
      const target = (targets as Record<string, string | undefined>)[manifest.name];
      if (manifest.type !== 'Load Balanced Web Service' || !manifest.http?.path)
        throw new Error(`${file}: not a Load Balanced Web Service with http.path`);
      if (!target) throw new Error(`${file}: no local target for service ${manifest.name}`);
      return { service: manifest.name, pathPrefix: `/${manifest.http.path.replace(/^\/+|\/+$/g, '')}`, target };
    });
}

/** The route whose prefix the path is, or lies under. */
export function matchRoute(routes: AlbRoute[], url: string): AlbRoute | undefined {
  const path = url.split('?')[0] ?? '';
  return routes.find((r) => path === r.pathPrefix || path.startsWith(`${r.pathPrefix}/`));
}
