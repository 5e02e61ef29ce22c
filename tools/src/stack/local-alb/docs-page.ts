import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import { answerProblem, securityHeaders } from '@forum/http';

export interface DocumentedService {
  name: string;
  /** `<prefix>/openapi.json`, on this same origin so "try it" goes through the ALB. */
  documentUrl: string;
}

// Swagger UI's prebuilt files, served from node_modules: the page needs no network but this origin.
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};
// Swagger UI sets inline styles and shows inline SVG/data: images; scripts come from here only.
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

const page = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Forum API</title>
  <link rel="stylesheet" href="/docs/swagger-ui.css">
  <link rel="icon" type="image/png" href="/docs/favicon-32x32.png">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/swagger-ui-bundle.js"></script>
  <script src="/docs/swagger-ui-standalone-preset.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>
`;

// validatorUrl null: Swagger UI would otherwise send each document to validator.swagger.io.
const init = (services: DocumentedService[]) => `window.ui = SwaggerUIBundle({
  urls: ${JSON.stringify(services.map((s) => ({ name: s.name, url: s.documentUrl })))},
  dom_id: '#swagger-ui',
  deepLinking: true,
  persistAuthorization: true,
  validatorUrl: null,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
  layout: 'StandaloneLayout',
});
`;

/**
 * `/docs`: Swagger UI over the services' OpenAPI documents. Returns false for any other path.
 * Local only: the ALB in AWS routes the API prefixes and nothing else.
 */
export function docsPage(services: DocumentedService[]) {
  const root = dirname(require.resolve('swagger-ui-dist/package.json'));
  const files = new Map<string, { type: string; body: Buffer | string }>([
    ['/docs', { type: 'text/html; charset=utf-8', body: page }],
    ['/docs/', { type: 'text/html; charset=utf-8', body: page }],
    ['/docs/init.js', { type: 'text/javascript; charset=utf-8', body: init(services) }],
  ]);
  const asset = (name: string) => {
    const type = ASSETS[name];
    if (type && !files.has(`/docs/${name}`)) files.set(`/docs/${name}`, { type, body: readFileSync(join(root, name)) });
    return files.get(`/docs/${name}`);
  };
  return function serveDocs(req: IncomingMessage, res: ServerResponse): boolean {
    const path = (req.url ?? '/').split('?')[0] ?? '';
    if (path !== '/docs' && !path.startsWith('/docs/')) return false;
    const file = files.get(path) ?? asset(path.slice('/docs/'.length));
    if (!file) answerProblem(res, 'route_not_found', `No documentation file ${path}`);
    else if (req.method !== 'GET' && req.method !== 'HEAD') answerProblem(res, 'method_not_allowed', `${req.method} is not allowed on ${path}`);
    else {
      res.writeHead(200, {
        ...securityHeaders,
        'Content-Security-Policy': CSP,
        'Content-Type': file.type,
        'Content-Length': String(Buffer.byteLength(file.body)),
        'Cache-Control': 'no-cache',
      });
      res.end(req.method === 'HEAD' ? undefined : file.body);
    }
    return true;
  };
}
