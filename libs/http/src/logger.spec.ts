import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, flushLogs } from './logger';

describe('createLogger', () => {
  it('when many lines are logged and flushed, then each arrives whole, in order, on a line of its own, its text intact', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'forum-log-'));
    try {
      const file = join(dir, 'out.log');
      // Left open: the logger's periodic flush writes to it until the test process ends.
      const logger = createLogger({ service: 'test', level: 'info', fd: openSync(file, 'w') });
      const request = logger.child({ requestId: 'r-1' });
      // About 30 KB: several batches, with characters of two, three and four bytes across their edges.
      for (let n = 0; n < 200; n++) request.info({ n, text: `Größe ✓ 🧵 ${'x'.repeat(n % 97)}` }, 'a line');
      await flushLogs(logger);
      const lines = readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(lines.map((line) => line['n'])).toEqual([...Array(200).keys()]);
      expect(lines[199]).toMatchObject({
        level: 'info',
        service: 'test',
        requestId: 'r-1',
        msg: 'a line',
        text: `Größe ✓ 🧵 ${'x'.repeat(199 % 97)}`,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
