import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { AppError, PROBLEM_CONTENT_TYPE, toProblem, type ProblemCode } from '@forum/errors';
import { securityHeaders } from './security-headers';

/** What leaves when no Koa app answers: problem+json with the same headers as every other answer. */
function problemParts(code: ProblemCode, detail: string, extra: Record<string, string> = {}) {
  const problem = toProblem(new AppError(code, detail));
  const body = JSON.stringify(problem);
  const headers = { ...securityHeaders, 'Content-Type': PROBLEM_CONTENT_TYPE, 'Content-Length': String(Buffer.byteLength(body)), ...extra };
  return { status: problem.status, headers, body };
}

/** Answers on a response object (the local ALB's own 404, 502, 504). */
export function answerProblem(res: ServerResponse, code: ProblemCode, detail: string): void {
  const { status, headers, body } = problemParts(code, detail);
  res.writeHead(status, headers).end(body);
}

/** Answers on a raw socket (a request Node could not parse), then closes it. */
export function answerProblemOnSocket(socket: Socket, code: ProblemCode, detail: string): void {
  const { status, headers, body } = problemParts(code, detail, { Connection: 'close' });
  const head = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${head}\r\n${body}`);
}

/**
 * A request Node cannot parse (malformed request line or headers, headers over 16 KiB, too slow)
 * never reaches an app; it still gets a problem+json answer, and the connection is closed.
 */
export function answerUnparsable(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  if (error.code === 'HPE_HEADER_OVERFLOW') answerProblemOnSocket(socket, 'headers_too_large', 'The request headers are too large');
  else if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') answerProblemOnSocket(socket, 'request_timeout', 'The request took too long to arrive');
  else answerProblemOnSocket(socket, 'bad_request', 'The request is not valid HTTP/1.1');
}

/** CONNECT never reaches an app (Node hands over the socket); no tunnels here, so 405. */
export function refuseConnect(_req: IncomingMessage, socket: Socket): void {
  answerProblemOnSocket(socket, 'method_not_allowed', 'CONNECT is not allowed');
}
