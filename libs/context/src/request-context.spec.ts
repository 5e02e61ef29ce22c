import pino from 'pino';
import { currentRequest, logFor, runInRequest } from './request-context';

describe('request context', () => {
  const processLog = pino({ enabled: false });
  const requestLog = processLog.child({ requestId: 'r-1' });

  it('when code runs inside a request, even after awaits and timers, then it sees that request and its logger', async () => {
    const seen = await runInRequest({ requestId: 'r-1', credentials: 'Bearer t', log: requestLog }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return { request: currentRequest(), log: logFor(processLog) };
    });
    expect(seen).toEqual({ request: { requestId: 'r-1', credentials: 'Bearer t', log: requestLog }, log: requestLog });
  });

  it('when two requests interleave, then each sees its own', async () => {
    const ids = await Promise.all(
      ['a', 'b'].map((id, i) =>
        runInRequest({ requestId: id, credentials: undefined, log: requestLog }, async () => {
          await new Promise((resolve) => setTimeout(resolve, 10 - i * 5));
          return currentRequest()?.requestId;
        }),
      ),
    );
    expect(ids).toEqual(['a', 'b']);
  });

  it('when code runs outside any request, then there is none and the process logger is used', () => {
    expect(currentRequest()).toBeUndefined();
    expect(logFor(processLog)).toBe(processLog);
  });
});
