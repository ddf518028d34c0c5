import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { AddressInfo } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import { pointsFromText } from '../analysis/perfect-customer/what-if.js';
import { UserError } from '../errors.js';
import type { Workspace } from '../workspace/workspace.js';
import { renderStatusPage } from './status-page.js';

export interface ServeOptions {
  host: string;
  port: number;
  token?: string | undefined;
}

export interface RunningServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

function tokenMatches(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, {
    'content-type': type,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'content-security-policy': "default-src 'self'; style-src 'self' 'unsafe-inline'",
    'cache-control': 'no-store',
  });
  res.end(body);
}

function problem(res: ServerResponse, status: number, title: string, detail: string): void {
  send(res, status, 'application/problem+json', JSON.stringify({ type: 'about:blank', title, status, detail }));
}

/** A UserError as a 400 problem: its message as `detail`, with its code and hint. */
function badRequest(res: ServerResponse, error: UserError): void {
  const { code, message, hint } = error.toJSON();
  send(res, 400, 'application/problem+json', JSON.stringify({ type: 'about:blank', title: 'Bad request', status: 400, detail: message, code, hint }));
}

/** `GET /api/whatif?behaviour=KEY&points=N[&segment=RULE]` (`behavior` accepted): Workspace.whatif as JSON. */
async function whatIfRoute(workspace: Workspace, url: URL, res: ServerResponse): Promise<void> {
  try {
    const behaviour = (url.searchParams.get('behaviour') ?? url.searchParams.get('behavior') ?? '').trim();
    if (behaviour === '') throw new UserError('bad_argument', 'Say which behaviour: ?behaviour=KEY.', { hint: 'The keys are those under behaviours in cxray.yaml, e.g. /api/whatif?behaviour=autopay&points=10.' });
    const points = pointsFromText(url.searchParams.get('points') ?? undefined);
    const segment = url.searchParams.get('segment');
    const answer = await workspace.whatif({ behaviour, points, ...(segment === null || segment === '' ? {} : { segment }) });
    send(res, 200, 'application/json', JSON.stringify(answer));
  } catch (error) {
    if (error instanceof UserError) return badRequest(res, error);
    throw error;
  }
}

/**
 * `GET /api/export/scores?format=csv|parquet[&segment=RULE]`: Workspace.exportScores
 * written to a temporary folder and streamed back (the action list stays out:
 * `cxray export scores` writes it).
 */
async function exportScoresRoute(workspace: Workspace, url: URL, res: ServerResponse): Promise<void> {
  const format = url.searchParams.get('format') ?? 'csv';
  if (format !== 'csv' && format !== 'parquet') return badRequest(res, new UserError('bad_argument', `format=${format}: use csv or parquet.`, { hint: '/api/export/scores?format=csv' }));
  const segment = url.searchParams.get('segment');
  const dir = await mkdtemp(join(tmpdir(), 'cxray-export-'));
  try {
    const out = join(dir, `scores.${format}`);
    try {
      await workspace.exportScores({ out, actions: join(dir, `actions.${format}`), ...(segment === null || segment === '' ? {} : { segment }) });
    } catch (error) {
      if (error instanceof UserError) return badRequest(res, error);
      throw error;
    }
    res.writeHead(200, {
      'content-type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.apache.parquet',
      'content-disposition': `attachment; filename="scores.${format}"`,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    });
    await pipeline(createReadStream(out), res);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The HTTP face of a workspace. It answers from the current import version,
 * read on every request, so a finished import is picked up without a restart
 * while a running one never shows half a state (the pointer flips last).
 */
export async function startServer(workspace: Workspace, options: ServeOptions): Promise<RunningServer> {
  if (!LOOPBACK.has(options.host) && (options.token === undefined || options.token.length === 0)) {
    throw new UserError('token_required', `Refusing to listen on ${options.host} without an access token.`, {
      hint: 'Set CXRAY_TOKEN (or --token-file FILE), or listen on 127.0.0.1.',
    });
  }
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method !== 'GET' && req.method !== 'HEAD') return problem(res, 405, 'Method not allowed', 'This server is read-only.');
    if (url.pathname === '/api/health') return send(res, 200, 'application/json', JSON.stringify({ ok: true }));
    if (options.token !== undefined && options.token.length > 0) {
      const header = req.headers.authorization ?? '';
      const given = header.startsWith('Bearer ') ? header.slice(7) : '';
      if (!tokenMatches(given, options.token)) return problem(res, 401, 'Unauthorized', 'Send Authorization: Bearer <token>.');
    }
    if (url.pathname === '/api/status') return send(res, 200, 'application/json', JSON.stringify(await workspace.status()));
    if (url.pathname === '/api/versions') {
      return send(res, 200, 'application/json', JSON.stringify({ current: await workspace.currentVersion(), versions: await workspace.versions() }));
    }
    if (url.pathname === '/api/whatif') return whatIfRoute(workspace, url, res);
    if (url.pathname === '/api/export/scores') return exportScoresRoute(workspace, url, res);
    if (url.pathname === '/') {
      const status = await workspace.status();
      const versions = await workspace.versions();
      return send(res, 200, 'text/html; charset=utf-8', renderStatusPage(status, versions.find((v) => v.version === status.currentVersion) ?? null));
    }
    return problem(res, 404, 'Not found', `No route ${url.pathname}.`);
  };
  const server = createServer((req, res) => {
    handle(req, res).catch(() => problem(res, 500, 'Internal error', 'The server hit an error; see its log.'));
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new UserError('port_in_use', `Port ${options.port} on ${options.host} is already in use.`, { hint: 'Stop the other server or pass --port.' })
          : error,
      ),
    );
    server.listen(options.port, options.host, () => resolveListen());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}/`,
    server,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
