import { servicePrefixes, type ServiceName } from '@forum/contracts';

export interface AlbRoute {
  service: ServiceName;
  /** Matched as the ALB's path rules `<prefix>` and `<prefix>/*`; the prefix is not stripped. */
  pathPrefix: string;
  target: string;
}

/** The listener rules of the ALB, pointed at local targets. */
export function albRoutes(targets: Record<ServiceName, string>): AlbRoute[] {
  return (Object.keys(servicePrefixes) as ServiceName[]).map((service) => ({
    service,
    pathPrefix: servicePrefixes[service],
    target: targets[service],
  }));
}

/** The route whose prefix the path is, or lies under. */
export function matchRoute(routes: AlbRoute[], url: string): AlbRoute | undefined {
  const path = url.split('?')[0] ?? '';
  return routes.find((r) => path === r.pathPrefix || path.startsWith(`${r.pathPrefix}/`));
}
