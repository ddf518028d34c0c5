import type { IncomingMessage } from 'node:http';
import { HttpProblem } from './problems.js';

/** Largest request body accepted: a change is a few hundred bytes. */
export const MAX_BODY_BYTES = 64 * 1024;

/**
 * A request's JSON body (undefined when empty). The Content-Type must say
 * JSON even for an empty body: a web page on another site can send a form
 * or text/plain POST to a loopback server without asking, but not one
 * that says application/json, so a write cannot be forged from a browser.
 */
export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type !== 'application/json') {
    throw new HttpProblem(415, 'unsupported_media_type', `The request body must be JSON, sent with Content-Type: application/json${type === '' ? '' : `, not ${type}`}.`, {
      hint: 'Send Content-Type: application/json (with an empty body or {} where nothing is needed).',
    });
  }
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > MAX_BODY_BYTES) throw tooLarge(`The request body is ${declared} bytes; the limit is ${MAX_BODY_BYTES}.`);
  const text = (await readLimited(req, MAX_BODY_BYTES)).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpProblem(400, 'bad_json', 'The request body is not valid JSON.', { hint: 'Send a JSON object, e.g. {"name": "Price rise", "date": "2025-01-01"}.' });
  }
}

/**
 * A 413 that closes the connection: the rest of the body is never read
 * (neither kept nor drained), whatever the client goes on sending.
 */
function tooLarge(detail: string): HttpProblem {
  return new HttpProblem(413, 'body_too_large', detail, { hint: `Send a body of at most ${MAX_BODY_BYTES} bytes.`, headers: { connection: 'close' } });
}

/**
 * The body, up to `limit` bytes; over it, reading stops at once and a 413
 * is thrown (a chunked body declares no length). Listeners rather than
 * `for await`: leaving that loop early destroys the request, and with it
 * the socket the 413 is to be sent on.
 */
function readLimited(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        stop();
        req.pause();
        reject(tooLarge(`The request body is over ${limit} bytes.`));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      stop();
      resolveBody(Buffer.concat(chunks));
    };
    // The client hung up, or the server cut it off (the request timeout): nobody is left to answer, and it is no bug.
    const gone = (): void => {
      stop();
      reject(new HttpProblem(400, 'body_incomplete', 'The connection closed before the request body ended.', { hint: 'Send the whole body.' }));
    };
    const onError = gone;
    const onClose = gone;
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}
