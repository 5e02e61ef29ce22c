import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig, undocumented } from '@forum/config';
import { stackConfig } from './start-command';

describe('npm start configuration', () => {
  it('when nothing is set, then the ALB is on 8080 and the services on 3001-3003 with demo data', () => {
    expect(loadConfig(stackConfig, {})).toEqual({
      ALB_PORT: 8080,
      USERS_PORT: 3001,
      THREADS_PORT: 3002,
      POSTS_PORT: 3003,
      DATA_DIR: './data',
      DEMO_DATA: true,
    });
  });

  it('when .env.example is read, then it documents every variable', () => {
    expect(undocumented(stackConfig, readFileSync(resolve(__dirname, '../../../.env.example'), 'utf8'))).toEqual([]);
  });
});
