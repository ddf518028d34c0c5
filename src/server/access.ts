import { timingSafeEqual, createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { HttpProblem } from './problems.js';

/**
 * Who may ask what. Bound to loopback (the default), only this machine can
 * reach the server; bound to any other address, a token is required for
 * everything but health. A token, once set, is required on loopback too.
 */

/** 127.0.0.0/8, ::1 and localhost (and IPv4 loopback written as IPv6). */
export function isLoopback(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

/** The host name of a Host header (`127.0.0.1:4173`, `[::1]:4173`, `localhost`). */
export function hostName(header: string): string {
  const bracketed = /^\[([^\]]*)\](?::\d+)?$/.exec(header);
  if (bracketed !== null) return bracketed[1] ?? '';
  return header.replace(/:\d+$/, '');
}

/**
 * Compared by SHA-256 digest with timingSafeEqual: both sides are always 32
 * bytes, so the time taken says nothing of where the first difference lies
 * nor of the token's length (a plain `===` stops at the first difference; a
 * timingSafeEqual of the raw strings throws on unequal lengths).
 */
export function tokenMatches(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

/**
 * A server on loopback answers only requests that name a loopback host: a
 * web page on another site cannot reach it through a DNS name rebound to
 * 127.0.0.1 (DNS rebinding), which would otherwise read everything.
 */
export function checkHost(req: IncomingMessage, boundHost: string): void {
  if (!isLoopback(boundHost)) return;
  const header = req.headers.host;
  if (header === undefined) return;
  if (!isLoopback(hostName(header))) {
    throw new HttpProblem(421, 'host_not_loopback', `This server listens on loopback and answers only requests for a loopback host, not ${JSON.stringify(header)}.`, {
      hint: 'Use http://127.0.0.1:PORT/ or http://localhost:PORT/, or start `cxray serve --host ADDRESS` with a token to serve other hosts.',
    });
  }
}

/** The token of an `Authorization: Bearer <token>` header; '' without one. */
export function bearerToken(req: IncomingMessage): string {
  return /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1]?.trim() ?? '';
}

/**
 * Whom a request counts against for the rate limit: the token when it
 * carries the server's token (every tab and script of its holder share one
 * allowance, wherever they connect from), else the client's address (the
 * dashboard's files, /api/health, a loopback server without a token, and
 * wrong tokens, so that guessing is slowed per address).
 */
export function rateKey(req: IncomingMessage, token: string | undefined): string {
  if (token !== undefined && token.length > 0) {
    const given = bearerToken(req);
    if (given !== '' && tokenMatches(given, token)) return 'token';
  }
  return `address:${req.socket.remoteAddress ?? 'unknown'}`;
}

/** The bearer token, when one is set: 401 without it or with another. */
export function checkToken(req: IncomingMessage, token: string | undefined): void {
  if (token === undefined || token.length === 0) return;
  const given = bearerToken(req);
  if (given === '' || !tokenMatches(given, token)) {
    throw new HttpProblem(401, 'unauthorized', given === '' ? 'This server needs an access token.' : 'The access token is not the one this server was started with.', {
      hint: 'Send Authorization: Bearer <token>, the token in CXRAY_TOKEN or --token-file of `cxray serve`.',
      headers: { 'www-authenticate': 'Bearer realm="cxray"' },
    });
  }
}
