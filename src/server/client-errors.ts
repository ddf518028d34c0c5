import type { Duplex } from 'node:stream';
import { PROBLEM_CONTENT_TYPE, problemBody, statusTitle } from './problems.js';
import { SECURITY_HEADERS } from './security-headers.js';

/**
 * Limits on what a client may send before the server has a request to
 * answer: header size, and how long it may take to send its headers and its
 * whole request. A client that sends headers a byte at a time (slow loris)
 * would otherwise hold a connection for as long as it likes; Node checks
 * every `checkIntervalMs` and cuts off a connection over its time.
 */
export interface HttpLimits {
  /** Largest request line plus headers, in bytes (a larger one is a 431). */
  maxHeaderBytes: number;
  /** Time to send the request line and headers (then a 408). */
  headersTimeoutMs: number;
  /** Time to send the whole request, body included (then a 408); the answer may take longer. */
  requestTimeoutMs: number;
  /** How often connections are checked against the two times (Node's default is 30 s, which would let a slow client hold on 30 s past its time). */
  checkIntervalMs: number;
}

/** Node's own header limit (16 KiB), set here on purpose so that a change of Node's default does not change it. */
export const DEFAULT_HTTP_LIMITS: HttpLimits = { maxHeaderBytes: 16 * 1024, headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, checkIntervalMs: 1_000 };

/** The status and problem code of an error of Node's HTTP parser or its timers. */
function statusOf(error: NodeJS.ErrnoException): { status: number; code: string; detail: string; hint: string } {
  if (error.code === 'HPE_HEADER_OVERFLOW') return { status: 431, code: 'headers_too_large', detail: 'The request line and headers are too large.', hint: 'Send fewer or shorter headers (cookies for another site, for one).' };
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return { status: 408, code: 'request_timeout', detail: 'The request took too long to arrive.', hint: 'Send the whole request at once.' };
  return { status: 400, code: 'bad_request', detail: 'The request is not valid HTTP.', hint: 'Send an HTTP/1.1 request.' };
}

/**
 * The server's `clientError` listener: a request Node could not read gets
 * a problem+json answer with the security headers (Node's own answer has
 * neither), then the connection is closed. A connection already answering,
 * or gone, is closed without a word.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  const answering = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } | null })._httpMessage;
  if (error.code === 'ECONNRESET' || !socket.writable || answering?.headersSent === true) {
    socket.destroy();
    return;
  }
  const { status, code, detail, hint } = statusOf(error);
  const body = JSON.stringify(problemBody(status, code, detail, hint));
  const headers = { ...SECURITY_HEADERS, 'content-type': PROBLEM_CONTENT_TYPE, 'content-length': String(Buffer.byteLength(body)), connection: 'close' };
  const head = [`HTTP/1.1 ${status} ${statusTitle(status)}`, ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`)].join('\r\n');
  socket.end(`${head}\r\n\r\n${body}`);
}
