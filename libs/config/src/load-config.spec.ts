import { generateKeyPairSync } from 'node:crypto';
import { ConfigError, describeConfig, loadConfig } from './load-config';
import { env } from './entries';
import { serviceEntries } from './service-entries';

const spec = {
  PORT: env.port('port', 3000),
  NAME: env.string('name', 'users'),
  UPSTREAM: env.url('upstream', 'http://users:3000'),
  ORIGINS: env.list('origins', ['*']),
  PRETTY: env.boolean('pretty', false),
};

describe('loadConfig', () => {
  it('when nothing is set, then every default applies', () => {
    expect(loadConfig(spec, {})).toEqual({
      PORT: 3000,
      NAME: 'users',
      UPSTREAM: 'http://users:3000',
      ORIGINS: ['*'],
      PRETTY: false,
    });
  });

  it('when values are set, then they are parsed to their types', () => {
    const config = loadConfig(spec, {
      PORT: ' 8081 ',
      UPSTREAM: 'http://localhost:3001/',
      ORIGINS: 'https://a.example, https://b.example',
      PRETTY: 'true',
    });
    expect(config).toMatchObject({ PORT: 8081, UPSTREAM: 'http://localhost:3001', PRETTY: true });
    expect(config.ORIGINS).toEqual(['https://a.example', 'https://b.example']);
  });

  it('when a value is invalid, then start-up fails with one message naming the variable and the value', () => {
    const load = () => loadConfig(spec, { PORT: '70000', UPSTREAM: 'ftp://x' });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow('PORT: must be <= 65535 (got "70000")');
    expect(load).toThrow('UPSTREAM: must be an http(s) URL (got "ftp://x")');
    expect(() => loadConfig(spec, { PORT: 'abc' })).toThrow('PORT: must be an integer (got "abc")');
  });

  it('when a boolean is not true/false, then it is rejected', () => {
    expect(() => loadConfig(spec, { PRETTY: 'yes' })).toThrow(/PRETTY: must be true or false/);
  });

  it('when the service entries are loaded from an empty environment, then they are valid and SQLite is the default', () => {
    const config = loadConfig(serviceEntries, {});
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.KEEP_ALIVE_TIMEOUT_MS).toBeGreaterThan(60000);
    expect(config.CORS_ORIGINS).toEqual([]);
    expect(() => loadConfig(serviceEntries, { DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    expect(config.TRUSTED_PROXIES).toEqual(['10.0.0.0/16', '127.0.0.0/8', '::1']);
  });

  it('when TRUSTED_PROXIES is set, then each range is checked at start-up', () => {
    expect(loadConfig(serviceEntries, { TRUSTED_PROXIES: '10.1.0.0/16, fd00::/8' }).TRUSTED_PROXIES).toEqual(['10.1.0.0/16', 'fd00::/8']);
    expect(() => loadConfig(serviceEntries, { TRUSTED_PROXIES: '10.0.0.0/33' })).toThrow(/TRUSTED_PROXIES: must be comma-separated CIDR ranges/);
    expect(() => loadConfig(serviceEntries, { TRUSTED_PROXIES: 'alb.internal' })).toThrow(/TRUSTED_PROXIES/);
  });

  it('when DB_CA_FILE is not set, then it names the RDS CA bundle the image carries; when set, that file', () => {
    expect(loadConfig(serviceEntries, {}).DB_CA_FILE).toBe('/etc/ssl/certs/rds-global-bundle.pem');
    expect(loadConfig(serviceEntries, { DB_CA_FILE: '/run/ca.pem' }).DB_CA_FILE).toBe('/run/ca.pem');
  });

  it('when the spec is described, then every entry has a doc and defaults are listed', () => {
    const docs = describeConfig(serviceEntries);
    expect(docs.every((d) => d.doc.length > 10)).toBe(true);
    expect(docs.find((d) => d.name === 'PORT')).toMatchObject({ default: 3000 });
  });

  it('when a PEM key is written on one line with \\n escapes, then it is read as the PEM it stands for; anything else is refused', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519', {
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const keys = { PRIVATE: env.pem('private', 'PRIVATE KEY'), PUBLIC: env.pem('public', 'PUBLIC KEY') };
    const oneLine = (pem: string) => pem.replace(/\n/g, '\\n');
    expect(loadConfig(keys, { PRIVATE: oneLine(privateKey), PUBLIC: oneLine(publicKey) })).toEqual({ PRIVATE: privateKey, PUBLIC: publicKey });
    expect(() => loadConfig(keys, { PRIVATE: publicKey, PUBLIC: publicKey })).toThrow('PRIVATE: must be a PEM "PRIVATE KEY"');
    expect(() => loadConfig(keys, { PRIVATE: privateKey, PUBLIC: 'secret' })).toThrow('PUBLIC: must be a PEM "PUBLIC KEY"');
  });
});
