import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig, undocumented } from '@forum/config';
import { postsConfig } from './config';

describe('posts configuration', () => {
  it('when nothing is set, then the defaults make a valid configuration', () => {
    expect(loadConfig(postsConfig, {})).toMatchObject({ PORT: 3000, DATA_DIR: './data' });
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
    expect(loadConfig(postsConfig, {})).toMatchObject({ USERS_URL: 'http://users:3000', THREADS_URL: 'http://threads:3000' });
    expect(() => loadConfig(postsConfig, { THREADS_URL: 'threads:3000' })).toThrow(/THREADS_URL/);
  });
});
