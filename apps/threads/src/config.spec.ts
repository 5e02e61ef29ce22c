import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig, undocumented } from '@forum/config';
import { threadsConfig } from './config';

describe('threads configuration', () => {
  it('when nothing is set, then the defaults make a valid configuration', () => {
    expect(loadConfig(threadsConfig, {})).toMatchObject({ PORT: 3000, DATA_DIR: './data' });
  });

  it('when a value is invalid, then start-up fails naming the variable', () => {
    expect(() => loadConfig(threadsConfig, { PORT: 'http' })).toThrow('PORT: must be an integer (got "http")');
  });

  it('when .env.example is read, then it documents every variable of the service', () => {
    expect(undocumented(threadsConfig, readFileSync(resolve(__dirname, '../../../.env.example'), 'utf8'))).toEqual([]);
  });
});
