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
  if (declared > MAX_BODY_BYTES) throw new HttpProblem(413, 'body_too_large', `The request body is ${declared} bytes; the limit is ${MAX_BODY_BYTES}.`, { hint: 'Send a smaller body.' });
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new HttpProblem(413, 'body_too_large', `The request body is over ${MAX_BODY_BYTES} bytes.`, { hint: 'Send a smaller body.' });
    chunks.push(buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpProblem(400, 'bad_json', 'The request body is not valid JSON.', { hint: 'Send a JSON object, e.g. {"name": "Price rise", "date": "2025-01-01"}.' });
  }
}
