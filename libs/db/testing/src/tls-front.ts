import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { createSecureContext, TLSSocket } from 'node:tls';

// Test helpers: a PostgreSQL server with TLS, made of a throwaway CA (the openssl CLI) and a TLS
// front before a plaintext server, as Aurora is reached through RDS's CA. Tests only.

export interface TestCertificate {
  /** PEM files, for DB_CA_FILE or sslrootcert. */
  certFile: string;
  keyFile: string;
  cert: string;
  key: string;
}

const openssl = (cwd: string, args: string[]) => execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
const read = (certFile: string, keyFile: string): TestCertificate => ({
  certFile,
  keyFile,
  cert: readFileSync(certFile, 'utf8'),
  key: readFileSync(keyFile, 'utf8'),
});

/** A self-signed CA valid for a day, its files in `dir` named after `name`. */
export function createTestCa(dir: string, name: string): TestCertificate {
  openssl(dir, [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-days',
    '1',
    '-subj',
    `/CN=${name}`,
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.pem`,
  ]);
  return read(join(dir, `${name}.pem`), join(dir, `${name}.key`));
}

/** A server certificate signed by `ca` for the given subject alternative names ("IP:127.0.0.1", "DNS:localhost"). */
export function issueServerCertificate(ca: TestCertificate, dir: string, name: string, altNames: string[]): TestCertificate {
  writeFileSync(
    join(dir, `${name}.ext`),
    `subjectAltName=${altNames.join(',')}\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n`,
  );
  openssl(dir, [
    'req',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-subj',
    `/CN=${name}`,
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.csr`,
  ]);
  openssl(dir, [
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    ca.certFile,
    '-CAkey',
    ca.keyFile,
    '-CAcreateserial',
    '-days',
    '1',
    '-extfile',
    `${name}.ext`,
    '-out',
    `${name}.pem`,
  ]);
  return read(join(dir, `${name}.pem`), join(dir, `${name}.key`));
}

export interface TlsFront {
  port: number;
  /** Connections that completed the TLS handshake and were forwarded to the database. */
  readonly forwarded: number;
  /** New connections get this certificate instead (a rotated or impostor server). */
  present(certificate: TestCertificate): void;
  /** Ends every open connection, as a failover does. */
  dropConnections(): void;
  close(): Promise<void>;
}

// PostgreSQL's SSLRequest: length 8, then the code 1234.5679.
const SSL_REQUEST = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);

/**
 * Listens on 127.0.0.1 and speaks PostgreSQL's TLS opening: reads the SSLRequest, answers 'S',
 * runs the TLS handshake as a server with `certificate`, then pipes the decrypted stream to the
 * plaintext `target`. A client that does not ask for TLS is hung up on.
 */
export async function startTlsFront(certificate: TestCertificate, target: { host: string; port: number }): Promise<TlsFront> {
  let context = createSecureContext({ cert: certificate.cert, key: certificate.key });
  const sockets = new Set<Socket>();
  const counts = { forwarded: 0 };
  const track = (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
  };
  const server = createServer((client) => {
    track(client);
    client.once('data', (first) => {
      if (!first.equals(SSL_REQUEST)) {
        client.destroy();
        return;
      }
      client.write('S');
      const secure = new TLSSocket(client, { isServer: true, secureContext: context });
      track(secure);
      secure.on('secure', () => {
        counts.forwarded += 1;
        const upstream = connect(target.port, target.host);
        track(upstream);
        secure.pipe(upstream).pipe(secure);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    get forwarded() {
      return counts.forwarded;
    },
    present: (next) => {
      context = createSecureContext({ cert: next.cert, key: next.key });
    },
    dropConnections: () => sockets.forEach((s) => s.destroy()),
    close: () =>
      new Promise<void>((resolve) => {
        sockets.forEach((s) => s.destroy());
        server.close(() => resolve());
      }),
  };
}
