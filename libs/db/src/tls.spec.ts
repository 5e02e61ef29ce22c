import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { createTestCa, createTestTarget, issueServerCertificate, startTlsFront, type TestCertificate, type TlsFront } from '@forum/db/testing';
import type { MigrationSet } from './migrate';
import { openDatabase } from './open-database';
import { openServiceDatabase } from './service-database';

const url = process.env['DATABASE_URL'];
if (!url) process.stdout.write('libs/db tls.spec.ts: TLS verification tests skipped, DATABASE_URL is not set (they need the PostgreSQL server)\n');
const onPostgres = url ? describe : describe.skip;
const noMigrations: MigrationSet = () => ({});

onPostgres('the database TLS connection verifies the server certificate on postgres', () => {
  const dir = mkdtempSync(join(tmpdir(), 'forum-tls-'));
  let ca: TestCertificate;
  let otherCa: TestCertificate;
  let server: TestCertificate;
  let otherHost: TestCertificate;
  const fronts: TlsFront[] = [];
  const database = new URL(url ?? 'postgres://localhost');

  beforeAll(() => {
    ca = createTestCa(dir, 'forum-test-ca');
    otherCa = createTestCa(dir, 'other-ca');
    server = issueServerCertificate(ca, dir, 'server', ['IP:127.0.0.1', 'DNS:localhost']);
    otherHost = issueServerCertificate(ca, dir, 'other-host', ['DNS:db.example.com']);
  });
  afterEach(async () => {
    await Promise.all(fronts.splice(0).map((f) => f.close()));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const front = async (certificate: TestCertificate) => {
    const started = await startTlsFront(certificate, { host: database.hostname, port: Number(database.port || 5432) });
    fronts.push(started);
    return started;
  };
  /** The settings a task gets in AWS: DB_SECRET as Copilot injects it, and the CA bundle file. */
  const settings = (port: number, caFile: string, schema: string) => ({
    service: 'users',
    DB_SECRET: JSON.stringify({
      host: '127.0.0.1',
      port,
      dbname: database.pathname.slice(1),
      username: decodeURIComponent(database.username || 'postgres'),
      password: database.password || 'trust',
    }),
    DB_CA_FILE: caFile,
    DB_SCHEMA: schema,
    DB_POOL_SIZE: 2,
    DATA_DIR: dir,
  });
  const logger = (warnings: string[]) => ({ warn: (_details: object, message: string) => warnings.push(message) });

  it('when the certificate is signed by the CA of DB_CA_FILE and names 127.0.0.1, then the service opens its database over TLS and queries it', async () => {
    const tls = await front(server);
    const test = await createTestTarget('postgres');
    const schema = (test.target as { schema: string }).schema;
    const opened = await openServiceDatabase(settings(tls.port, ca.certFile, schema), noMigrations, logger([]));
    try {
      const { rows } = await sql<{ answer: number }>`select 41 + 1 as answer`.execute(opened.db);
      expect(rows).toEqual([{ answer: 42 }]);
      await expect(opened.ping()).resolves.toBeUndefined();
      expect(tls.forwarded).toBeGreaterThan(0);
    } finally {
      await opened.close();
      await test.drop();
    }
  });

  it('when DB_CA_FILE holds another CA, then opening fails at once with a certificate error and nothing reaches the database', async () => {
    const tls = await front(server);
    const warnings: string[] = [];
    const started = Date.now();
    await expect(openServiceDatabase(settings(tls.port, otherCa.certFile, 'never_created'), noMigrations, logger(warnings))).rejects.toMatchObject({
      code: 'database_certificate_refused',
      // Node 24 adds a hint about --use-system-ca to OpenSSL's reason.
      message: expect.stringMatching(
        /^The database server's TLS certificate was refused \(UNABLE_TO_VERIFY_LEAF_SIGNATURE: unable to verify the first certificate[^)]*\)\. With DB_SECRET it must be signed by a CA in DB_CA_FILE and name the host; with DATABASE_URL, by the sslrootcert file\.$/,
      ),
    });
    expect(warnings).toEqual([]);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(tls.forwarded).toBe(0);
  });

  it('when the server presents a certificate of another CA after start-up, then readiness pings fail with the certificate error and none succeeds', async () => {
    const tls = await front(server);
    const test = await createTestTarget('postgres');
    const opened = await openServiceDatabase(settings(tls.port, ca.certFile, (test.target as { schema: string }).schema), noMigrations, logger([]));
    try {
      const impostor = issueServerCertificate(otherCa, dir, 'impostor', ['IP:127.0.0.1']);
      tls.present(impostor);
      tls.dropConnections();
      const outcomes: string[] = [];
      // The first ping may still meet a connection the pool has not yet seen die (a 503).
      for (let i = 0; i < 20 && outcomes.at(-1) !== 'database_certificate_refused'; i++) {
        outcomes.push(
          await opened.ping().then(
            () => 'ok',
            (error: { code?: string }) => String(error.code),
          ),
        );
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      expect(outcomes).not.toContain('ok');
      expect(outcomes.at(-1)).toBe('database_certificate_refused');
    } finally {
      await opened.close();
      await test.drop();
    }
  });

  it('when the certificate is signed by the right CA for another host name, then opening is refused', async () => {
    const tls = await front(otherHost);
    await expect(openServiceDatabase(settings(tls.port, ca.certFile, 'never_created'), noMigrations, logger([]))).rejects.toMatchObject({
      code: 'database_certificate_refused',
      message:
        "The database server's TLS certificate was refused (ERR_TLS_CERT_ALTNAME_INVALID: Hostname/IP does not match certificate's altnames: IP: 127.0.0.1 is not in the cert's list: ). With DB_SECRET it must be signed by a CA in DB_CA_FILE and name the host; with DATABASE_URL, by the sslrootcert file.",
    });
    expect(tls.forwarded).toBe(0);
  });

  it('when DATABASE_URL asks for sslmode=verify-full with an sslrootcert, then the right CA connects and another is refused', async () => {
    const tls = await front(server);
    const test = await createTestTarget('postgres');
    const withRoot = (file: string) => {
      const local = new URL(url!);
      local.host = `127.0.0.1:${tls.port}`;
      local.search = `?sslmode=verify-full&sslrootcert=${encodeURIComponent(file)}`;
      return { ...test.target, connection: { connectionString: local.toString() } } as typeof test.target;
    };
    const opened = await openDatabase(withRoot(ca.certFile), noMigrations);
    try {
      await expect(opened.ping()).resolves.toBeUndefined();
      await expect(openDatabase(withRoot(otherCa.certFile), noMigrations)).rejects.toMatchObject({ code: 'database_certificate_refused' });
    } finally {
      await opened.close();
      await test.drop();
    }
  });
});
