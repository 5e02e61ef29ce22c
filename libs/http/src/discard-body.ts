import type { IncomingMessage } from 'node:http';

/** How much of a refused body is read and thrown away so that the answer reaches the client. */
export const DISCARD_LIMIT_BYTES = 1024 * 1024;
export const DISCARD_LIMIT_MS = 2000;

/**
 * Reads and discards what is left of a request body, up to a bound. A body refused before it was
 * read (too large, wrong type, no token) would otherwise still be arriving when the service
 * closes the connection, and a proxy still writing it (the ALB) gets a reset instead of the
 * answer: a 502 for what should be a 413. Resolves to whether the whole body was read.
 */
export function discardRestOfBody(req: IncomingMessage, maxBytes = DISCARD_LIMIT_BYTES, maxMs = DISCARD_LIMIT_MS): Promise<boolean> {
  const declared = Number(req.headers['content-length']);
  if (req.complete) return Promise.resolve(true);
  if (declared > maxBytes || req.destroyed) return Promise.resolve(false);
  return new Promise((resolve) => {
    let seen = 0;
    const finish = (complete: boolean) => {
      clearTimeout(timer);
      req.off('data', onData).off('end', onEnd).off('close', onClose);
      resolve(complete);
    };
    const onData = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > maxBytes) finish(false);
    };
    const onEnd = () => finish(true);
    const onClose = () => finish(req.complete);
    const timer = setTimeout(() => finish(false), maxMs);
    req.on('data', onData).once('end', onEnd).once('close', onClose);
    req.unpipe(); // a decompressor that gave up must not hold the stream back
    req.resume();
  });
}
