import { Agent, createServer, request, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { authAs, expiredAuthAs } from './tokens';
import { problemTypes } from './problems';

/**
 * Property-based testing of the HTTP API with fast-check: generated hostile requests (bodies,
 * path parameters, query strings, headers) sent over a real socket to the real app, and the
 * properties every answer must have.
 */

/** Generated requests per route property; `FUZZ_RUNS` raises it for a longer hunt. */
export const fuzzRuns = Number(process.env['FUZZ_RUNS'] ?? 400);

const SQL = ["' OR '1'='1", "'; DROP TABLE users; --", '" OR ""="', '1; SELECT pg_sleep(10)', "\\'; --", '%', '_', '$1', '?'];
const SPECIAL = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '', ' ', '\t', 'null', 'undefined', 'NaN'];
const UNICODE = [
  '\u0000',
  '\u202e',
  '\ufeff',
  '\u200b',
  'e\u0301',
  '👩‍👩‍👧',
  '\ud800',
  '\udfff',
  'ﬁ',
  'İ',
  '\r\n',
  '<script>alert(1)</script>',
  '${7*7}',
  '{{7*7}}',
  '%00',
  '../../etc/passwd',
];

const text = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 20 }) },
  { weight: 2, arbitrary: fc.constantFrom(...SQL, ...SPECIAL, ...UNICODE) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...UNICODE, ...SQL), fc.string({ maxLength: 8 })).map(([a, b]) => `${b}${a}${b}`) },
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 12000 }).map((n) => 'ẞ'.repeat(n)) },
);

const number = fc.oneof(
  fc.integer(),
  fc.constantFrom(0, -0, -1, 1, 2 ** 31, 2 ** 53, 2 ** 53 + 2, Number.MAX_VALUE, Number.MIN_VALUE, 1.5, -1e-7),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** JSON text of hostile values: strings, numbers past every limit, nesting, odd keys. */
const json: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    text.map((s) => JSON.stringify(s)),
    number.map((n) => (Object.is(n, -0) ? '-0' : JSON.stringify(n))),
    fc.constantFrom('null', 'true', 'false', '1e400', '-1e400', '123456789012345678901234567890', '1.0', '1e2', '0x10'),
    fc.array(tie('value'), { maxLength: 4 }).map((items) => `[${items.join(',')}]`),
    fc.array(fc.tuple(key(), tie('value')), { maxLength: 4 }).map(objectText),
  ),
})).value;

function key(known: string[] = []): fc.Arbitrary<string> {
  return fc.oneof(fc.constantFrom(...SPECIAL, ...known, 'id', 'authorId', 'isAdmin', 'passwordHash'), fc.string({ maxLength: 10 }));
}

/** `{"k":v,...}` written by hand so that `__proto__` and repeated keys reach the server as sent. */
function objectText(entries: [string, string][]): string {
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`;
}

/**
 * Request bodies for a route whose known fields generate from `fields` (valid-looking values):
 * mostly objects mixing those fields with hostile values and extra keys, and also any JSON,
 * broken JSON, deep nesting and bodies over the size limit.
 */
export function hostileBody(fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<string> {
  const names = Object.keys(fields);
  const field = ([name, valid]: [string, fc.Arbitrary<unknown>]) =>
    fc.option(
      fc.oneof(
        { weight: 3, arbitrary: valid.map((v) => [name, JSON.stringify(v)] as [string, string]) },
        { weight: 1, arbitrary: json.map((v) => [name, v] as [string, string]) },
      ),
      { freq: 5 },
    );
  const known = fc.tuple(...Object.entries(fields).map(field)).map((entries) => entries.filter((entry) => entry !== null));
  const extra = fc.array(fc.tuple(key(names), json), { maxLength: 2 });
  return fc.oneof(
    // Every field valid: routes with several required fields would otherwise almost never succeed.
    { weight: 6, arbitrary: fc.record(fields).map((body) => JSON.stringify(body)) },
    { weight: 12, arbitrary: fc.tuple(known, fc.option(extra, { freq: 3 })).map(([k, e]) => objectText([...k, ...(e ?? [])])) },
    { weight: 2, arbitrary: json },
    {
      weight: 2,
      arbitrary: fc.oneof(
        fc.string({ maxLength: 30 }),
        fc.constantFrom('', '{', '{"a":', '[1,]', "{'a':1}", '{"__proto__":{"isAdmin":true}}', 'null', '"\\ud800"', '\u0000'),
        fc.integer({ min: 1000, max: 20000 }).map((n) => '['.repeat(n) + ']'.repeat(n)),
      ),
    },
    { weight: 1, arbitrary: fc.constantFrom(70_000, 300_000).map((n) => JSON.stringify({ [names[0] ?? 'x']: 'x'.repeat(n) })) },
  );
}

/** Percent-encoding of any string (a lone surrogate goes as U+FFFD, as a browser would send it). */
const uriEncode = (value: string): string => encodeURIComponent(value.toWellFormed());

/** A path segment: ids, and anything that is not one. */
export function hostileId(valid: fc.Arbitrary<number>): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: valid.map(String) },
    {
      weight: 3,
      arbitrary: fc.oneof(number.map(String), fc.constantFrom('0', '-1', '1.0', '1e3', '0x1f', '%EF%BC%99', '9'.repeat(40), '1%00', '%2e%2e', '%')),
    },
    { weight: 2, arbitrary: text.map((t) => uriEncode(t.slice(0, 200))) },
  );
}

/** A query string of the page parameters, hostile values, repeats and unknown names. */
export function hostileQuery(names: string[] = ['limit', 'cursor']): fc.Arbitrary<string> {
  // Values stay under the 8 KiB a request line may have behind the ALB.
  const value = fc.oneof(
    fc.integer({ min: -5, max: 150 }).map(String),
    text.map((t) => t.slice(0, 300)),
    fc.base64String({ maxLength: 40 }),
    fc.constant(''),
  );
  return fc
    .array(fc.tuple(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...names) }, { weight: 1, arbitrary: key() }), value), { maxLength: 3 })
    .map((pairs) => (pairs.length ? `?${pairs.map(([k, v]) => `${uriEncode(k)}=${uriEncode(v)}`).join('&')}` : ''));
}

/** Printable header text (what a client can put in a header at all). */
const headerText = fc.string({ unit: 'binary-ascii', maxLength: 60 }).map((s) => s.replace(/[^\x20-\x7e]/g, '').trim());

/**
 * Headers: every content type a client might send, broken encodings and charsets, request ids,
 * and `Authorization` from the given valid values or garbage; a third of them plain JSON with a
 * valid token, so that what only a signed-in caller may do is tried often enough to succeed.
 */
export function hostileHeaders(authorizations: string[]): fc.Arbitrary<Record<string, string>> {
  const plain = fc.constantFrom(...authorizations).map((authorization) => ({ 'content-type': 'application/json', authorization }));
  return fc.oneof({ weight: 1, arbitrary: plain }, { weight: 2, arbitrary: anyHeaders(authorizations) });
}

function anyHeaders(authorizations: string[]): fc.Arbitrary<Record<string, string>> {
  return fc
    .record(
      {
        'content-type': fc.oneof(
          { weight: 6, arbitrary: fc.constant('application/json') },
          {
            weight: 3,
            arbitrary: fc.constantFrom(
              'application/json; charset=utf-8',
              'application/json; charset=latin1',
              'application/json; charset=utf-16',
              'application/merge-patch+json',
              'text/plain',
              'application/x-www-form-urlencoded',
              'multipart/form-data; boundary=x',
              'application/xml',
              '*/*',
              'json',
            ),
          },
          { weight: 1, arbitrary: headerText },
        ),
        'content-encoding': fc.oneof(
          { weight: 3, arbitrary: fc.constant('identity') },
          { weight: 2, arbitrary: fc.constantFrom('gzip', 'br', 'deflate', 'x-unknown') },
        ),
        'x-request-id': headerText,
        accept: fc.constantFrom('application/json', 'text/html', '*/*', 'application/problem+json'),
        authorization: fc.oneof(
          { weight: 6, arbitrary: fc.constantFrom(...authorizations) },
          {
            weight: 2,
            arbitrary: fc.constantFrom('Bearer', 'Bearer ', 'Basic dXNlcjpwYXNz', 'Bearer a.b.c', 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.'),
          },
          { weight: 1, arbitrary: headerText.map((t) => `Bearer ${t}`) },
        ),
      },
      { requiredKeys: ['content-type'] },
    )
    .map((headers) => Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== '')));
}

export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface FuzzAnswer {
  status: number;
  contentType: string;
  text: string;
  body: unknown;
}

/** The app on a real socket, and a function sending one request to it as raw HTTP. */
export async function fuzzTarget(listener: RequestListener) {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const clientErrors: string[] = [];
  server.on('clientError', (error: Error & { code?: string }, socket) => {
    clientErrors.push(`${error.code ?? ''} ${error.message}`);
    socket.destroy();
  });
  let previous = '';
  const send = (req: FuzzRequest): Promise<FuzzAnswer> =>
    new Promise((resolve, reject) => {
      const described = `${req.method} ${req.path} ${JSON.stringify(req.headers)} ${req.body?.length ?? 0} bytes`;
      const before = previous;
      const fail = (error: Error) =>
        reject(new Error(`${error.message} on ${described}; the request before: ${before}; server: ${clientErrors.join('; ')}`));
      previous = described;
      const body = req.body === undefined ? undefined : Buffer.from(req.body);
      const outgoing = request(
        {
          host: '127.0.0.1',
          port,
          agent,
          method: req.method,
          path: req.path,
          headers: { ...req.headers, ...(body ? { 'content-length': body.length } : {}) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown;
            try {
              parsed = text ? JSON.parse(text) : undefined;
            } catch {
              parsed = text;
            }
            resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), text, body: parsed });
          });
        },
      );
      outgoing.setTimeout(10000, () => outgoing.destroy(new Error(`no answer within 10 s to ${req.method} ${req.path}`)));
      outgoing.on('error', fail);
      outgoing.end(body);
    });
  const close = () =>
    new Promise<void>((resolve) => {
      agent.destroy();
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return { send, close };
}

/** Every answer: never a 5xx, and a failure is problem+json with a consistent body. */
export function expectWellFormed(req: FuzzRequest, res: FuzzAnswer): void {
  const what = `${req.method} ${req.path} ${JSON.stringify(req.headers)} ${req.body?.slice(0, 300) ?? ''}`;
  if (res.status >= 500) throw new Error(`${res.status} for ${what}: ${res.text.slice(0, 500)}`);
  if (res.status >= 400) {
    const problem = res.body as Record<string, unknown>;
    const ok =
      res.contentType === 'application/problem+json' &&
      problem?.['status'] === res.status &&
      typeof problem['code'] === 'string' &&
      problem['type'] === problemTypes[String(problem['code'])] &&
      typeof problem['title'] === 'string' &&
      typeof problem['detail'] === 'string' &&
      !/\bat \S+ \(|node_modules/.test(res.text);
    if (!ok) throw new Error(`not a problem+json answer to ${what}: ${res.status} ${res.contentType} ${res.text.slice(0, 500)}`);
  }
}

/** A table's rows by id, as JSON text, to tell exactly which rows a request changed. */
export type Snapshot = Map<number, string>;

export const snapshotOf = (rows: { id: number }[]): Snapshot => new Map(rows.map((row) => [row.id, JSON.stringify(row)]));

/** The ids of rows added, removed or changed between two snapshots. */
export function changedRows(before: Snapshot, after: Snapshot): number[] {
  const ids = new Set([...before.keys(), ...after.keys()]);
  return [...ids].filter((id) => before.get(id) !== after.get(id)).sort((a, b) => a - b);
}

/**
 * Counts the generated requests of a spec file and prints the totals when it ends, for the
 * totals line of `.ci/run` ("Fuzzed requests (...): N, 5xx: M"). Each property (test) must also
 * have been answered 2xx at least once: a generator that only ever produces refused requests
 * would check the refusals and nothing else.
 */
export function fuzzCounter(label: string) {
  let requests = 0;
  let accepted = 0;
  let serverErrors = 0;
  let acceptedBefore = 0;
  beforeEach(() => {
    acceptedBefore = accepted;
  });
  afterEach(() => {
    if (accepted === acceptedBefore)
      throw new Error(`no generated request of "${expect.getState().currentTestName}" was answered 2xx: the property checked refusals only`);
  });
  afterAll(() => {
    process.stdout.write(`Fuzzed requests (${label}): ${requests}, 5xx: ${serverErrors} (2xx: ${accepted})\n`);
  });
  return {
    record: (res: FuzzAnswer) => {
      requests += 1;
      if (res.status < 300) accepted += 1;
      if (res.status >= 500) serverErrors += 1;
    },
  };
}

/**
 * One generated request with every property checked: a well-formed answer, and no row of the
 * table changed but those `allowed` names for a 2xx answer (none for a failure).
 */
export function fuzzCheck(options: {
  send: (req: FuzzRequest) => Promise<FuzzAnswer>;
  rows: () => Promise<{ id: number }[]>;
  counter: ReturnType<typeof fuzzCounter>;
}) {
  return async (req: FuzzRequest, allowed: (res: FuzzAnswer) => number[] = () => []): Promise<FuzzAnswer> => {
    const before = snapshotOf(await options.rows());
    const res = await options.send(req);
    options.counter.record(res);
    expectWellFormed(req, res);
    const changed = changedRows(before, snapshotOf(await options.rows()));
    const permitted = res.status < 300 ? allowed(res) : [];
    if (changed.some((id) => !permitted.includes(id))) {
      throw new Error(`${req.method} ${req.path} answered ${res.status} and changed rows [${changed}] (allowed: [${permitted}])`);
    }
    return res;
  };
}

/** The text fields of a stored resource are exactly what the request body sent. */
export function expectStoredAsSent(body: string, stored: unknown, fields: string[]): void {
  const sent = JSON.parse(body) as Record<string, unknown>;
  const actual = stored as Record<string, unknown>;
  for (const field of fields) {
    if (field in sent && actual[field] !== sent[field]) {
      throw new Error(`${field} was stored as ${JSON.stringify(actual[field])}, sent as ${JSON.stringify(sent[field])}`);
    }
  }
}

/**
 * The callers a fuzz spec signs in as: a valid token for each user and an expired one of the
 * first, and which user (if any) the headers of a generated request sign in.
 */
export async function fuzzCallers(userIds: number[]) {
  const valid = await Promise.all(userIds.map(async (id) => (await authAs(id)).Authorization));
  const byHeader = new Map(userIds.map((id, i) => [valid[i], id]));
  const callerOf = (headers: Record<string, string>): number | undefined => byHeader.get(headers['authorization'] ?? '');
  const authorizations = [...valid, (await expiredAuthAs(userIds[0] ?? 1)).Authorization];
  return {
    authorizations,
    callerOf,
    /** `[id]` when the request's caller owns that row (`owners`: row id -> owner), else `[]`. */
    ownRow: (headers: Record<string, string>, id: string, owners: Map<number, number>): number[] => {
      const caller = callerOf(headers);
      return caller !== undefined && owners.get(Number(id)) === caller ? [Number(id)] : [];
    },
    /**
     * Headers and a row id: a third of the time the row's owner asking (plain JSON, valid token),
     * else any headers and any id, so that changes only an owner may make are tried often enough.
     */
    callerAndRow: (owners: Map<number, number>, anyId: fc.Arbitrary<string>): fc.Arbitrary<[Record<string, string>, string]> => {
      const owned = [...owners].filter(([, owner]) => userIds.includes(owner));
      const asOwner = fc
        .constantFrom(...owned)
        .map(([row, owner]): [Record<string, string>, string] => [
          { 'content-type': 'application/json', authorization: valid[userIds.indexOf(owner)] ?? '' },
          String(row),
        ]);
      return fc.oneof({ weight: 1, arbitrary: asOwner }, { weight: 2, arbitrary: fc.tuple(hostileHeaders(authorizations), anyId) });
    },
  };
}

export { fc };
