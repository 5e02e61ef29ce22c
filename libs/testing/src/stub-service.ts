import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Answers a request; `body` is the request's whole body. */
export type StubHandler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

export interface StubService {
  url: string;
  /** Every request the stub received, as `METHOD path`, with its headers and body. */
  requests: { line: string; headers: IncomingMessage['headers']; body: string }[];
  /** Replaces how the stub answers from now on. */
  answer(handler: StubHandler): void;
  close(): Promise<void>;
}

/**
 * A stand-in for another service of the system, speaking its HTTP contract on a real port, so
 * a service's tests can make the other side answer, fail, hang or vanish.
 */
export async function startStubService(handler: StubHandler): Promise<StubService> {
  let current = handler;
  const requests: StubService['requests'] = [];
  const server = createServer((req, res) => {
    const request = { line: `${req.method} ${req.url}`, headers: req.headers, body: '' };
    requests.push(request);
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (request.body += chunk));
    req.on('end', () => current(req, res, request.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    answer: (next) => {
      current = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Answers GET <prefix>/<id> with the resource when `resources` has it, else 404; POSTs to
 * <prefix>/<id>/... with 204 (404 when unknown); a POST of `{ "ids": [...] }` to <prefix>/<action>
 * with `{ "missing": [...] }`, the ids it does not have.
 */
export function resourcesHandler(prefixes: string | string[], resources: Map<number, object>): StubHandler {
  const prefix = `^(?:${[prefixes].flat().join('|')})`;
  const pattern = new RegExp(`${prefix}/(\\d+)(/.*)?$`);
  const batch = new RegExp(`${prefix}/[a-z]+$`);
  return (req, res, body) => {
    if (req.method === 'POST' && batch.test(req.url ?? '')) {
      const ids = (JSON.parse(body) as { ids: number[] }).ids;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ missing: ids.filter((id) => !resources.has(id)) }));
      return;
    }
    const match = pattern.exec(req.url ?? '');
    const resource = match ? resources.get(Number(match[1])) : undefined;
    if (!resource) {
      res.writeHead(404, { 'content-type': 'application/problem+json' }).end('{"status":404}');
    } else if (req.method === 'POST') {
      res.writeHead(204).end();
    } else {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(resource));
    }
  };
}

/**
 * The time limit the specs give a client of a stand-in service: long enough that a busy machine
 * never turns a slow answer into a timeout, short enough that a spec of a hanging service is quick.
 */
export const STUB_TIME_LIMIT_MS = 2_000;

/** Never answers: for timeouts. */
export const hangingHandler: StubHandler = () => undefined;

/** Answers 500 with a body nobody should see. */
export const failingHandler: StubHandler = (_req, res) => {
  res.writeHead(500, { 'content-type': 'text/plain' }).end('stack trace of the other service');
};
