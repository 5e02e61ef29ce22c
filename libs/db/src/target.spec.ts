import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveDatabaseTarget } from './target';

const dir = mkdtempSync(join(tmpdir(), 'forum-target-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CA_PEM = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ2E=\n-----END CERTIFICATE-----\n';
const caFile = join(dir, 'ca.pem');
writeFileSync(caFile, CA_PEM);
const base = { service: 'users', DB_POOL_SIZE: 5, DATA_DIR: '/var/forum', DB_CA_FILE: caFile };
const secret = JSON.stringify({ host: 'db.aws', port: 5432, dbname: 'forum', username: 'app', password: 'pw', engine: 'postgres' });

describe('resolveDatabaseTarget', () => {
  it('when nothing is configured, then an SQLite file per service under the data folder is used', () => {
    expect(resolveDatabaseTarget(base)).toEqual({ engine: 'sqlite', file: '/var/forum/users.sqlite' });
  });

  it('when DATABASE_URL is set, then PostgreSQL is used with the service name as schema and DB_CA_FILE is not read', () => {
    expect(resolveDatabaseTarget({ ...base, DATABASE_URL: 'postgres://u@h/db', DB_CA_FILE: join(dir, 'absent.pem') })).toEqual({
      engine: 'postgres',
      connection: { connectionString: 'postgres://u@h/db' },
      schema: 'users',
      poolSize: 5,
    });
  });

  it('when the Aurora secret is injected, then its fields make the connection over TLS verified against the CA bundle of DB_CA_FILE', () => {
    expect(resolveDatabaseTarget({ ...base, DB_SECRET: secret, DB_SCHEMA: 'users_v2' })).toEqual({
      engine: 'postgres',
      schema: 'users_v2',
      poolSize: 5,
      connection: { host: 'db.aws', port: 5432, database: 'forum', user: 'app', password: 'pw', ssl: { ca: CA_PEM, rejectUnauthorized: true } },
    });
  });

  it('when DB_SECRET is set and DB_CA_FILE is missing, unreadable or holds no certificate, then start-up stops with a message naming DB_CA_FILE', () => {
    const missing = join(dir, 'absent.pem');
    const empty = join(dir, 'empty.pem');
    writeFileSync(empty, '');
    const resolveWith = (file: string) => () => resolveDatabaseTarget({ ...base, DB_SECRET: secret, DB_CA_FILE: file });
    const hint = 'with DB_SECRET it must name the PEM bundle of the CA that signs the database certificate';
    expect(resolveWith(missing)).toThrow(`DB_CA_FILE: cannot read "${missing}" (ENOENT); ${hint}`);
    expect(resolveWith(dir)).toThrow(`DB_CA_FILE: cannot read "${dir}" (EISDIR); ${hint}`);
    expect(resolveWith(empty)).toThrow(`DB_CA_FILE: "${empty}" holds no PEM certificate; ${hint}`);
  });

  it('when the secret is broken or the schema name unsafe, then the message names the variable', () => {
    expect(() => resolveDatabaseTarget({ ...base, DB_SECRET: '{' })).toThrow('DB_SECRET: is not valid JSON');
    expect(() => resolveDatabaseTarget({ ...base, DB_SECRET: '{"host":"h"}' })).toThrow('DB_SECRET: missing username, password');
    expect(() => resolveDatabaseTarget({ ...base, DATABASE_URL: 'postgres://h/db', DB_SCHEMA: 'x; drop' })).toThrow('DB_SCHEMA');
  });
});
