import { resolveDatabaseTarget } from './target';

const base = { service: 'users', DB_POOL_SIZE: 5, DATA_DIR: '/var/forum' };

describe('resolveDatabaseTarget', () => {
  it('when nothing is configured, then an SQLite file per service under the data folder is used', () => {
    expect(resolveDatabaseTarget(base)).toEqual({ engine: 'sqlite', file: '/var/forum/users.sqlite' });
  });

  it('when DATABASE_URL is set, then PostgreSQL is used with the service name as schema', () => {
    expect(resolveDatabaseTarget({ ...base, DATABASE_URL: 'postgres://u@h/db' })).toEqual({
      engine: 'postgres',
      connection: { connectionString: 'postgres://u@h/db' },
      schema: 'users',
      poolSize: 5,
    });
  });

  it('when the Aurora secret is injected, then its fields make the connection over TLS', () => {
    const secret = JSON.stringify({ host: 'db.aws', port: 5432, dbname: 'forum', username: 'app', password: 'pw', engine: 'postgres' });
    expect(resolveDatabaseTarget({ ...base, DB_SECRET: secret, DB_SCHEMA: 'users_v2' })).toMatchObject({
      engine: 'postgres',
      schema: 'users_v2',
      connection: { host: 'db.aws', port: 5432, database: 'forum', user: 'app', password: 'pw', ssl: { rejectUnauthorized: false } },
    });
  });

  it('when the secret is broken or the schema name unsafe, then the message names the variable', () => {
    expect(() => resolveDatabaseTarget({ ...base, DB_SECRET: '{' })).toThrow('DB_SECRET: is not valid JSON');
    expect(() => resolveDatabaseTarget({ ...base, DB_SECRET: '{"host":"h"}' })).toThrow('DB_SECRET: missing username, password');
    expect(() => resolveDatabaseTarget({ ...base, DATABASE_URL: 'postgres://h/db', DB_SCHEMA: 'x; drop' })).toThrow('DB_SCHEMA');
  });
});
