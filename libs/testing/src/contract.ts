import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

interface Response {
  status: number;
  headers: Record<string, string | undefined>;
  text?: string;
  body?: unknown;
}
type Operation = { responses?: Record<string, { content?: Record<string, unknown>; headers?: Record<string, unknown> }> };
type Document = { paths?: Record<string, Record<string, Operation>>; components?: { headers?: Record<string, { required?: boolean }> } };

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
// What a router answers for a path or method no operation describes.
const UNROUTED = new Set(['route_not_found', 'method_not_allowed']);

/**
 * Checks responses against an OpenAPI document: the status must be documented for the
 * operation, the content type and body must match its schema, and required headers be set.
 * Only paths under `prefix` are the public contract; calls between services (`/internal/...`)
 * are not in it.
 */
export function openApiContract(document: object, prefix: string) {
  const doc = document as Document;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(document, 'contract');
  const validators = new Map<string, ValidateFunction>();
  const validatorAt = (pointer: string) => {
    let validator = validators.get(pointer);
    if (!validator) validators.set(pointer, (validator = ajv.compile({ $ref: `contract#${pointer}` })));
    return validator;
  };
  // Literal paths before templated ones, so /api/users/session is not taken for /api/users/{id}.
  const templates = Object.keys(doc.paths ?? {})
    .sort((a, b) => Number(a.includes('{')) - Number(b.includes('{')))
    .map((path) => ({ path, pattern: new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}$`) }));

  return function check(method: string, url: string, res: Response): void {
    const verb = method.toLowerCase();
    if (!(METHODS as readonly string[]).includes(verb)) return; // OPTIONS (CORS) and HEAD are not operations
    const pathname = new URL(url, 'http://contract').pathname;
    if (pathname !== prefix && !pathname.startsWith(`${prefix}/`)) return;
    const path = templates.find((t) => t.pattern.test(pathname) && doc.paths?.[t.path]?.[verb])?.path;
    const where = `${method.toUpperCase()} ${pathname} answered ${res.status}`;
    const type = (res.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
    if (!path) {
      const code = (parsed(res) as { code?: unknown } | undefined)?.code;
      if (type === 'application/problem+json' && typeof code === 'string' && UNROUTED.has(code)) return;
      throw new Error(`${where}, but the OpenAPI document has no such operation`);
    }
    const response = doc.paths?.[path]?.[verb]?.responses?.[String(res.status)];
    if (!response) throw new Error(`${where}, a status the OpenAPI document does not list for ${verb.toUpperCase()} ${path}`);
    for (const [name, header] of Object.entries(response.headers ?? {})) {
      if (requiredHeader(doc, header) && res.headers[name.toLowerCase()] === undefined)
        throw new Error(`${where} without the documented ${name} header`);
    }
    const content = Object.keys(response.content ?? {});
    if (content.length === 0) {
      if (res.text) throw new Error(`${where} with a body, where the OpenAPI document says none`);
      return;
    }
    if (!content.includes(type)) throw new Error(`${where} as ${type || 'no content type'}, not ${content.join(' or ')}`);
    const pointer = `/paths/${escape(path)}/${verb}/responses/${res.status}/content/${escape(type)}/schema`;
    const validate = validatorAt(pointer);
    if (!validate(parsed(res))) {
      throw new Error(`${where} with a body that does not match the OpenAPI document: ${ajv.errorsText(validate.errors)}\n${res.text ?? ''}`);
    }
  };
}

const escape = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');

function parsed(res: Response): unknown {
  if (res.text === undefined) return res.body;
  try {
    return JSON.parse(res.text);
  } catch {
    return res.text;
  }
}

function requiredHeader(doc: Document, header: unknown): boolean {
  const ref = (header as { $ref?: string }).$ref;
  const resolved = ref ? doc.components?.headers?.[ref.split('/').at(-1) ?? ''] : (header as { required?: boolean });
  return resolved?.required === true;
}

/**
 * A supertest agent whose every request is checked against the contract when it completes;
 * a response the document does not describe fails the test that sent it.
 */
export function checkedAgent<T extends object>(agent: T, check: ReturnType<typeof openApiContract>): T {
  return new Proxy(agent, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof prop !== 'string' || typeof value !== 'function' || !['get', 'post', 'put', 'patch', 'delete', 'head', 'options'].includes(prop))
        return value;
      return (...args: unknown[]) => {
        const test = (value as (...a: unknown[]) => { method: string; url: string; expect: (fn: (res: Response) => void) => unknown }).apply(
          target,
          args,
        );
        return test.expect((res) => check(test.method, test.url, res));
      };
    },
  });
}
