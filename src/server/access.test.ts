import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rateLimitOf } from '../cli/commands/serve.js';
import { Workspace } from '../workspace/workspace.js';
import { rateKey, tokenMatches } from './access.js';
import { makeApiWorkspace } from './api-workspace.case.js';
import { apiClient, problem, type Answer } from './api-test-client.case.js';
import { MAX_BODY_BYTES } from './request-body.js';
import { DEFAULT_RATE_LIMIT, RateLimiter } from './rate-limit.js';
import { SECURITY_HEADERS } from './security-headers.js';
import { startServer, type RunningServer, type ServeOptions } from './serve.js';

// Access hardening (issue 10): the token compared in constant time, no
// CORS unless asked, security headers on everything the server sends,
// limits on what a client may send and how slowly, a rate limit per token
// or address, and no stack trace in any answer. On the hand-made company
// of 120 customers (api-workspace.case.ts), imported once.

let ws: Workspace;
let web: string;
const servers: RunningServer[] = [];

async function serve(options: Partial<ServeOptions> = {}): Promise<RunningServer> {
  const server = await startServer(ws, { host: '127.0.0.1', port: 0, ...options });
  servers.push(server);
  return server;
}

/** What a raw connection got back, and how long until the server closed it. */
interface RawAnswer {
  text: string;
  status: number;
  headers: Record<string, string>;
  body: string;
  closedAfterMs: number;
}

/**
 * Writes `first` on a new connection, then each of `more` every `everyMs`
 * (unless the server has closed it), and resolves when the server closes
 * it: the way to send what fetch will not (huge headers, a body that never
 * ends, headers a line at a time).
 */
function rawExchange(url: string, first: string | Buffer, more: (string | Buffer)[] = [], everyMs = 100): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolveAnswer, reject) => {
    const started = performance.now();
    const socket = connect(Number(port), hostname);
    let text = '';
    let next = 0;
    const timer = setInterval(() => {
      if (socket.destroyed || !socket.writable) return;
      const piece = more[next];
      if (piece === undefined) return;
      next = (next + 1) % more.length;
      socket.write(piece);
    }, everyMs);
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // The server may close while we still write: what it sent before counts.
      if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') reject(error);
    });
    socket.on('close', () => {
      clearInterval(timer);
      const [head = '', body = ''] = text.split('\r\n\r\n', 2);
      const [statusLine = '', ...headerLines] = head.split('\r\n');
      const headers = Object.fromEntries(headerLines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      resolveAnswer({ text, status: Number(statusLine.split(' ')[1] ?? 0), headers, body, closedAfterMs: performance.now() - started });
    });
    socket.write(first);
  });
}

function expectSecurityHeaders(headers: Headers | Record<string, string>, label: string): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
    const got = headers instanceof Headers ? headers.get(name) : headers[name];
    expect(got, `${label}: ${name}`).toBe(value);
  }
}

beforeAll(async () => {
  ws = new Workspace(makeApiWorkspace());
  await ws.import();
  web = join(mkdtempSync(join(tmpdir(), 'cxray-access-web-')), 'web');
  mkdirSync(join(web, 'assets'), { recursive: true });
  writeFileSync(join(web, 'index.html'), '<!doctype html><title>dashboard</title>');
  writeFileSync(join(web, 'assets', 'app.js'), 'console.log(1)');
}, 60_000);

afterAll(async () => {
  for (const s of servers) await s.close();
});

describe('the token', () => {
  it('matches only itself, whatever the lengths, compared by digest (no throw on unequal lengths)', () => {
    expect(tokenMatches('s3cret', 's3cret')).toBe(true);
    for (const other of ['s3creT', 's3cre', 's3cret ', '', 'x'.repeat(10_000), 's3cret\0']) expect(tokenMatches(other, 's3cret'), JSON.stringify(other)).toBe(false);
    expect(tokenMatches('é', 'é')).toBe(true);
  });

  it('keys the rate limit by the token when it is the right one, else by address', () => {
    const req = (authorization?: string) => ({ headers: authorization === undefined ? {} : { authorization }, socket: { remoteAddress: '127.0.0.9' } }) as unknown as Parameters<typeof rateKey>[0];
    expect(rateKey(req('Bearer s3cret'), 's3cret')).toBe('token');
    expect(rateKey(req('Bearer wrong'), 's3cret')).toBe('address:127.0.0.9');
    expect(rateKey(req(), 's3cret')).toBe('address:127.0.0.9');
    expect(rateKey(req('Bearer s3cret'), undefined)).toBe('address:127.0.0.9');
  });
});

describe('the rate limiter', () => {
  it('lets a burst through, then refuses with the seconds to wait, and refills with time (an injected clock: no sleeping)', () => {
    let now = 1_000;
    const limiter = new RateLimiter({ ratePerSecond: 2, burst: 4 }, () => now);
    for (let i = 0; i < 4; i += 1) expect(limiter.take('a')).toEqual({ allowed: true });
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(limiter.take('b'), 'another key has its own bucket').toEqual({ allowed: true });
    now += 499;
    expect(limiter.take('a').allowed).toBe(false);
    now += 1;
    expect(limiter.take('a').allowed, 'one request back after half a second at 2/s').toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
    now += 60_000;
    for (let i = 0; i < 4; i += 1) expect(limiter.take('a').allowed, 'never more than the burst, however long the wait').toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
  });

  it('says how long to wait at a slow rate, and stays within its bound of keys, forgetting refilled buckets first', () => {
    let now = 0;
    const slow = new RateLimiter({ ratePerSecond: 0.1, burst: 1 }, () => now);
    expect(slow.take('a').allowed).toBe(true);
    expect(slow.take('a')).toEqual({ allowed: false, retryAfterSeconds: 10 });
    const bounded = new RateLimiter({ ratePerSecond: 1, burst: 1 }, () => now, 100);
    for (let i = 0; i < 1000; i += 1) bounded.take(`address:${i}`);
    expect(bounded.size()).toBeLessThanOrEqual(100);
    // The last key used is kept (still empty: refused); after a second every bucket has refilled, the same as none, and the next new key clears them all.
    expect(bounded.take('address:999').allowed).toBe(false);
    now += 1000;
    expect(bounded.take('address:new').allowed).toBe(true);
    expect(bounded.size()).toBe(1);
    expect(() => new RateLimiter({ ratePerSecond: 0, burst: 1 })).toThrow(RangeError);
  });

  it('cxray serve --rate-limit N [--rate-burst M]: the default, off with 0, four seconds of burst unless given', () => {
    expect(rateLimitOf({})).toEqual(DEFAULT_RATE_LIMIT);
    expect(rateLimitOf({ rateLimit: '0' })).toBeNull();
    expect(rateLimitOf({ rateLimit: '50' })).toEqual({ ratePerSecond: 50, burst: 200 });
    expect(rateLimitOf({ rateLimit: '50', rateBurst: '60' })).toEqual({ ratePerSecond: 50, burst: 60 });
    for (const bad of ['-1', '1.5', 'many', '']) expect(() => rateLimitOf({ rateLimit: bad }), bad).toThrow(/--rate-limit/);
    expect(() => rateLimitOf({ rateLimit: '5', rateBurst: '0' })).toThrow(/--rate-burst/);
  });
});

describe('a server with a token and the dashboard', () => {
  let server: RunningServer;
  let api: ReturnType<typeof apiClient>;
  const logged: string[] = [];
  beforeAll(async () => {
    server = await serve({ token: 's3cret', dashboard: web, log: (line) => logged.push(line) });
    api = apiClient(server.url, { authorization: 'Bearer s3cret' });
  });

  it('sends the security headers with every answer: each documented route, problems, HEAD, OPTIONS, the dashboard files, the status page', async () => {
    const doc = (await api.get('/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    const fill: Record<string, string> = { name: 'profile', analysis: 'profile', table: 'tenure', id: '1', job: 'no-such-job' };
    const answers: [string, Answer][] = [];
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const method of Object.keys(item)) {
        // /api/results runs every analysis: the single Result stands for it here (api.test.ts answers it in full).
        if (path === '/api/results') continue;
        const url = path.replace(/\{([A-Za-z]+)\}/g, (_, name: string) => encodeURIComponent(fill[name] ?? 'x')) + (path === '/api/whatif' ? '?behaviour=autopay&points=5' : '');
        answers.push([`${method} ${path}`, method === 'get' ? await api.get(url) : await api.send(method.toUpperCase(), url, method === 'post' ? {} : undefined)]);
      }
    }
    expect(answers.filter(([, a]) => a.status === 200).length).toBeGreaterThanOrEqual(14);
    answers.push(['401', await apiClient(server.url).get('/api/status')]);
    answers.push(['404', await api.get('/api/nothing')]);
    answers.push(['405', await api.call('PUT', '/api/status')]);
    answers.push(['414', await api.get(`/api/customers?q=${'a'.repeat(9000)}`)]);
    answers.push(['HEAD', await api.call('HEAD', '/api/status')]);
    answers.push(['OPTIONS', await api.call('OPTIONS', '/api/changes')]);
    answers.push(['dashboard /', await apiClient(server.url).get('/')]);
    answers.push(['dashboard asset', await apiClient(server.url).get('/assets/app.js')]);
    answers.push(['status page', await api.get('/status')]);
    answers.push(['csv', await api.get('/api/tables/profile/tenure.csv')]);
    for (const [label, answer] of answers) expectSecurityHeaders(answer.headers, `${label} -> ${answer.status}`);
    expect(answers.find(([label]) => label === 'dashboard asset')?.[1].text).toBe('console.log(1)');
  });

  it('no CORS by default: no access-control header for any origin, preflight included', async () => {
    const origin = { origin: 'https://elsewhere.example' };
    const answers = [await api.get('/api/status', origin), await api.call('OPTIONS', '/api/customers', { headers: { ...origin, 'access-control-request-method': 'GET' } }), await apiClient(server.url).get('/api/health', origin)];
    for (const answer of answers) expect([...answer.headers.keys()].filter((k) => k.startsWith('access-control-'))).toEqual([]);
    const cors = await serve({ corsOrigin: 'https://dash.example' });
    const allowed = await apiClient(cors.url).get('/api/health', { origin: 'https://dash.example' });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://dash.example');
    const other = await apiClient(cors.url).get('/api/health', { origin: 'https://elsewhere.example' });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('431 problem+json for headers over 16 KiB; 15 KiB of headers still answer', async () => {
    const big = await rawExchange(server.url, `GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Filler: ${'a'.repeat(17 * 1024)}\r\n\r\n`);
    expect(big.status).toBe(431);
    expect(big.headers['content-type']).toBe('application/problem+json');
    expect(JSON.parse(big.body)).toMatchObject({ status: 431, code: 'headers_too_large' });
    expectSecurityHeaders(big.headers, '431');
    const fits = await rawExchange(server.url, `GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nX-Filler: ${'a'.repeat(15 * 1024)}\r\n\r\n`);
    expect(fits.status).toBe(200);
  });

  it('a bug is a 500 without stack or file path; the log has the stack', async () => {
    class Broken extends Workspace {
      override async analyze(): Promise<never> {
        throw new TypeError('boom in /home/someone/cxray/src/analysis/secret.ts:42');
      }
    }
    const lines: string[] = [];
    const broken = await startServer(new Broken(ws.paths.root), { host: '127.0.0.1', port: 0, log: (line) => lines.push(line) });
    servers.push(broken);
    const answer = await apiClient(broken.url).get('/api/results/profile?segment=region%20%3D%20north');
    expect(problem(answer, 500, 'internal_error').detail).toBe('The server failed to answer this request.');
    expect(answer.text).not.toMatch(/boom|secret|\/home\/|\.ts\b|\n\s+at |TypeError/);
    expect(Object.keys(answer.body as object).sort()).toEqual(['code', 'detail', 'hint', 'status', 'title', 'type']);
    expect(lines.join('\n')).toMatch(/GET \/api\/results\/profile\?segment=.* failed: TypeError: boom in \/home\/someone\/cxray\/src\/analysis\/secret\.ts:42\n\s+at /);
    expect(logged).toEqual([]);
  });
});

describe('limits on what a client sends', () => {
  it('413 for a body declared over the limit, at once: the rest is never waited for, and the connection is closed', async () => {
    const server = await serve({ allowWrites: true });
    const answer = await rawExchange(server.url, `POST /api/changes HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${100 * 1024 * 1024}\r\n\r\n{"name":`, ['x'.repeat(1024)], 50);
    expect(answer.status).toBe(413);
    expect(answer.headers['connection']).toBe('close');
    expect(JSON.parse(answer.body)).toMatchObject({ code: 'body_too_large' });
    expectSecurityHeaders(answer.headers, '413');
    expect(answer.closedAfterMs).toBeLessThan(5_000);
  });

  it('413 for a chunked body that grows past the limit: reading stops there, though the client goes on sending', async () => {
    const server = await serve({ allowWrites: true });
    const chunk = (text: string): string => `${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`;
    const first = `POST /api/changes HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n${chunk(`{"name":"${'x'.repeat(MAX_BODY_BYTES)}`)}`;
    const answer = await rawExchange(server.url, first, [chunk('y'.repeat(16 * 1024))], 20);
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ code: 'body_too_large', detail: `The request body is over ${MAX_BODY_BYTES} bytes.` });
    expect(answer.closedAfterMs).toBeLessThan(5_000);
  });

  it('a client sending its headers a line at a time is cut off (408) after the headers timeout', async () => {
    const server = await serve({ httpLimits: { headersTimeoutMs: 300, requestTimeoutMs: 600, checkIntervalMs: 50 } });
    const answer = await rawExchange(server.url, 'GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n', ['X-Slow: 1\r\n'], 100);
    expect(answer.status).toBe(408);
    expect(JSON.parse(answer.body)).toMatchObject({ code: 'request_timeout' });
    expectSecurityHeaders(answer.headers, '408');
    expect(answer.closedAfterMs).toBeGreaterThanOrEqual(250);
    expect(answer.closedAfterMs).toBeLessThan(2_000);
  });

  it('a client sending its body a byte at a time is cut off after the request timeout', async () => {
    const lines: string[] = [];
    const server = await serve({ allowWrites: true, httpLimits: { headersTimeoutMs: 300, requestTimeoutMs: 600, checkIntervalMs: 50 }, log: (line) => lines.push(line) });
    const answer = await rawExchange(server.url, 'POST /api/changes HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{', [' '], 50);
    expect(answer.status).toBe(408);
    expect(answer.closedAfterMs).toBeLessThan(2_000);
    // The server goes on answering, and logged no bug for the request it dropped.
    expect((await apiClient(server.url).get('/api/health')).status).toBe(200);
    expect(lines).toEqual([]);
  });
});

describe('the rate limit', () => {
  it('per token: 429 problem+json with Retry-After past the burst, back when time passes; the address has its own allowance', async () => {
    let now = 0;
    const server = await serve({ token: 's3cret', dashboard: web, rateLimit: { ratePerSecond: 1, burst: 3 }, clock: () => now });
    const holder = apiClient(server.url, { authorization: 'Bearer s3cret' });
    const stranger = apiClient(server.url);
    for (let i = 0; i < 3; i += 1) expect((await holder.get('/api/status')).status).toBe(200);
    const refused = await holder.get('/api/status');
    expect(problem(refused, 429, 'rate_limited').hint).toContain('Retry-After');
    expect(refused.headers.get('retry-after')).toBe('1');
    expectSecurityHeaders(refused.headers, '429');
    // The token's bucket is empty; the address's (health, the dashboard's files, wrong tokens) is not.
    expect((await stranger.get('/api/health')).status).toBe(200);
    expect((await stranger.get('/assets/app.js')).status).toBe(200);
    problem(await apiClient(server.url, { authorization: 'Bearer guess' }).get('/api/status'), 401, 'unauthorized');
    problem(await apiClient(server.url, { authorization: 'Bearer guess2' }).get('/api/status'), 429, 'rate_limited');
    problem(await stranger.get('/api/health'), 429, 'rate_limited');
    now += 1000;
    expect((await holder.get('/api/status')).status).toBe(200);
    problem(await holder.get('/api/status'), 429, 'rate_limited');
    now += 10_000;
    for (let i = 0; i < 3; i += 1) expect((await holder.get('/api/status')).status).toBe(200);
    problem(await holder.get('/api/status'), 429, 'rate_limited');
  });

  it('the default lets a burst of a page load and more through; null turns it off', async () => {
    const server = await serve({ clock: () => 0 });
    const api = apiClient(server.url);
    const answers = await Promise.all(Array.from({ length: 200 }, () => api.get('/api/health')));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const unlimited = await serve({ rateLimit: null, clock: () => 0 });
    const statuses = new Set<number>();
    for (let sent = 0; sent < DEFAULT_RATE_LIMIT.burst + 10; sent += 50) {
      for (const a of await Promise.all(Array.from({ length: 50 }, () => apiClient(unlimited.url).get('/api/health')))) statuses.add(a.status);
    }
    expect([...statuses]).toEqual([200]);
  });
});
