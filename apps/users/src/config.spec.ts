import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig, undocumented } from '@forum/config';
import { testTokenKeys } from '@forum/testing';
import { usersConfig } from './config';

describe('users configuration', () => {
  it('when only the token key is set, then the defaults make a valid configuration', () => {
    expect(loadConfig(usersConfig, { AUTH_PRIVATE_KEY: testTokenKeys.privateKeyPem })).toMatchObject({ PORT: 3000, DATA_DIR: './data' });
  });

  it('when the token key is missing or not a PEM key, then start-up fails naming it', () => {
    expect(() => loadConfig(usersConfig, {})).toThrow('AUTH_PRIVATE_KEY: must be a PEM');
    expect(() => loadConfig(usersConfig, { AUTH_PRIVATE_KEY: 'secret' })).toThrow('AUTH_PRIVATE_KEY: must be a PEM');
  });

  it('when a value is invalid, then start-up fails naming the variable', () => {
    expect(() => loadConfig(usersConfig, { PORT: 'http' })).toThrow('PORT: must be an integer (got "http")');
  });

  it('when .env.example is read, then it documents every variable of the service', () => {
    expect(undocumented(usersConfig, readFileSync(resolve(__dirname, '../../../.env.example'), 'utf8'))).toEqual([]);
  });
});
