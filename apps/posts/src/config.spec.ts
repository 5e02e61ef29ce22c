import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig, undocumented } from '@forum/config';
import { testTokenKeys } from '@forum/testing';
import { postsConfig } from './config';

describe('posts configuration', () => {
  it('when only the token key is set, then the defaults make a valid configuration', () => {
    expect(loadConfig(postsConfig, { AUTH_PUBLIC_KEY: testTokenKeys.publicKeyPem })).toMatchObject({ PORT: 3000, DATA_DIR: './data' });
  });

  it('when the token key is missing or not a PEM key, then start-up fails naming it', () => {
    expect(() => loadConfig(postsConfig, {})).toThrow('AUTH_PUBLIC_KEY: must be a PEM');
    expect(() => loadConfig(postsConfig, { AUTH_PUBLIC_KEY: 'secret' })).toThrow('AUTH_PUBLIC_KEY: must be a PEM');
  });

  it('when a value is invalid, then start-up fails naming the variable', () => {
    expect(() => loadConfig(postsConfig, { PORT: 'http' })).toThrow('PORT: must be an integer (got "http")');
  });

  it('when .env.example is read, then it documents every variable of the service', () => {
    expect(undocumented(postsConfig, readFileSync(resolve(__dirname, '../../../.env.example'), 'utf8'))).toEqual([]);
  });
});

describe('posts configuration of other services', () => {
  it('when URLs are not set, then the Service Connect names are used; a bad URL is refused', () => {
    expect(loadConfig(postsConfig, { AUTH_PUBLIC_KEY: testTokenKeys.publicKeyPem })).toMatchObject({
      USERS_URL: 'http://users:3000',
      THREADS_URL: 'http://threads:3000',
    });
    expect(() => loadConfig(postsConfig, { THREADS_URL: 'threads:3000' })).toThrow(/THREADS_URL/);
  });
});
