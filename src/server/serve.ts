import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream/promises';
import { UserError } from '../errors.js';
import type { Workspace } from '../workspace/workspace.js';
import { checkHost, checkToken, isLoopback, rateKey } from './access.js';
import type { ApiContext } from './api-context.js';
import { answerClientError, DEFAULT_HTTP_LIMITS, type HttpLimits } from './client-errors.js';
import { ImportJobs } from './import-jobs.js';
import { Lane } from './lane.js';
import { parseBody } from './params.js';
import { HttpProblem, PROBLEM_CONTENT_TYPE, problemOf } from './problems.js';
import { readJsonBody } from './request-body.js';
import { DEFAULT_RATE_LIMIT, RateLimiter, type RateLimit } from './rate-limit.js';
import { ResultCache } from './result-cache.js';
import type { Reply, Route } from './route.js';
import { createRouter, allowedMethods } from './router.js';
import { ROUTES } from './routes/index.js';
import { parseQuery } from './params.js';
import { SECURITY_HEADERS } from './security-headers.js';
import { dashboardBuilt, readStaticFile, type StaticFile } from './static-files.js';
import { VersionStores } from './version-stores.js';

export interface ServeOptions {
  host: string;
  port: number;
  token?: string | undefined;
  /** Imports and changes through the API (`cxray serve --allow-writes`); read-only otherwise. */
  allowWrites?: boolean | undefined;
  /** One origin (`https://dash.example.com`) whose pages may call the API from a browser (CORS); none by default. */
  corsOrigin?: string | undefined;
  /** Where the server logs what it cannot tell a client (bugs, failed imports); stderr by default. */
  log?: (line: string) => void;
  /**
   * The folder of the built dashboard to serve at / (`cxray serve` passes
   * DASHBOARD_DIR, dist/web); none by default, and then / is the status page.
   * Built or not, it is looked for on every request, so `npm run build:web`
   * needs no restart.
   */
  dashboard?: string | undefined;
  /**
   * Requests per second per key (the token, or the client's address for
   * requests without it: rate-limit.ts), with a burst; DEFAULT_RATE_LIMIT
   * when not given, none when null.
   */
  rateLimit?: RateLimit | null | undefined;
  /** Header size and the times a client has to send its request (DEFAULT_HTTP_LIMITS when not given, each field alone too). */
  httpLimits?: Partial<HttpLimits> | undefined;
  /** The clock of the rate limit, in milliseconds (tests move it instead of sleeping). */
  clock?: (() => number) | undefined;
}

export interface RunningServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** A URL longer than this is refused (414) before anything parses it. */
export const MAX_URL_LENGTH = 8192;

function jsonText(body: unknown): string {
  // BigInt never reaches JSON silently as a rounded number: exact digits beyond 2^53.
  return JSON.stringify(body, (_key, value: unknown) => (typeof value === 'bigint' ? (value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(value) : value.toString()) : value));
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, contentType: string, body: string): void {
  res.writeHead(status, { ...SECURITY_HEADERS, ...headers, 'content-type': contentType, 'content-length': String(Buffer.byteLength(body)) });
  res.end(body);
}

function sendFile(req: IncomingMessage, res: ServerResponse, file: StaticFile): void {
  res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': file.contentType, 'content-length': String(file.body.length) });
  res.end(req.method === 'HEAD' ? undefined : file.body);
}

async function sendReply(req: IncomingMessage, res: ServerResponse, reply: Reply, extra: Record<string, string>): Promise<void> {
  const status = reply.status ?? 200;
  const headers = { ...extra, ...(reply.headers ?? {}) };
  if (reply.kind === 'json') return send(res, status, headers, 'application/json', jsonText(reply.body));
  if (reply.kind === 'text') return send(res, status, headers, reply.contentType, reply.body);
  try {
    res.writeHead(status, { ...SECURITY_HEADERS, ...headers, 'content-type': reply.contentType });
    if (req.method === 'HEAD') {
      reply.stream.destroy();
      res.end();
    } else {
      await pipeline(reply.stream, res);
    }
  } finally {
    await reply.cleanup?.();
  }
}

/** The path parameters through the route's schema; a bad one is a 400 naming it. */
function parsePath(route: Route, params: Record<string, string>): unknown {
  const parsed = route.params.safeParse(params);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const name = String(issue?.path[0] ?? '');
  throw new HttpProblem(400, 'bad_parameter', `The path segment ${name} ${issue?.message ?? 'is not valid'}.`, { parameter: name, hint: 'See /openapi.json for what this endpoint takes.' });
}

/**
 * The HTTP face of a workspace: the API of the route table (routes/index.ts,
 * documented at /openapi.json) and the landing page. It answers from the
 * current import version, read on every request, so a finished import is
 * picked up without a restart while a running one never shows half a state
 * (the pointer flips last).
 *
 * @example
 * const server = await startServer(new Workspace('./acme'), { host: '127.0.0.1', port: 4173 });
 * console.log(server.url); // http://127.0.0.1:4173/
 * await server.close();
 */
export async function startServer(workspace: Workspace, options: ServeOptions): Promise<RunningServer> {
  const token = options.token === undefined || options.token.length === 0 ? undefined : options.token;
  if (!isLoopback(options.host) && token === undefined) {
    throw new UserError('token_required', `Refusing to listen on ${options.host} without an access token.`, {
      hint: 'Set CXRAY_TOKEN (or --token-file FILE), or listen on 127.0.0.1.',
    });
  }
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const lane = new Lane();
  const ctx: ApiContext = {
    workspace,
    allowWrites: options.allowWrites === true,
    lane,
    results: new ResultCache(workspace, lane),
    stores: new VersionStores(workspace),
    imports: new ImportJobs(workspace, log),
    log,
    dashboard: options.dashboard,
  };
  const router = createRouter(ROUTES);
  const rateLimit = options.rateLimit === undefined ? DEFAULT_RATE_LIMIT : options.rateLimit;
  const limiter = rateLimit === null ? null : new RateLimiter(rateLimit, options.clock);
  const limits: HttpLimits = { ...DEFAULT_HTTP_LIMITS, ...(options.httpLimits ?? {}) };

  const corsHeaders = (req: IncomingMessage): Record<string, string> =>
    options.corsOrigin !== undefined && req.headers.origin === options.corsOrigin
      ? { 'access-control-allow-origin': options.corsOrigin, vary: 'Origin', 'access-control-expose-headers': 'location, x-cxray-cache' }
      : {};

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const cors = corsHeaders(req);
    try {
      // First, before any work: a flood costs the server one map look-up per request.
      const allowance = limiter?.take(rateKey(req, token));
      if (allowance !== undefined && !allowance.allowed) {
        throw new HttpProblem(429, 'rate_limited', `Too many requests: this server answers ${rateLimit?.ratePerSecond ?? 0} a second per client (bursts of ${rateLimit?.burst ?? 0}).`, {
          hint: `Wait ${allowance.retryAfterSeconds} s (Retry-After), then send fewer requests; or start the server with a higher --rate-limit.`,
          headers: { 'retry-after': String(allowance.retryAfterSeconds) },
        });
      }
      if ((req.url ?? '').length > MAX_URL_LENGTH) throw new HttpProblem(414, 'uri_too_long', `The request URL is longer than ${MAX_URL_LENGTH} characters.`, { hint: 'Shorten the segment rule, or define the segment as an attribute in cxray.yaml.' });
      checkHost(req, options.host);
      // Concatenated, not resolved against a base: a path starting `//` (GET //api/health) would
      // otherwise be read as a host name (an Invalid URL for `//`, a 500); here it is a path, and a 404.
      const url = new URL(`http://localhost${req.url ?? '/'}`);
      const method = req.method ?? 'GET';
      // The dashboard's files hold no workspace data (the same for every install), so they need no token:
      // a browser cannot send one when it opens the page; the page then sends it with every API call.
      // They never shadow an endpoint: only / and paths no route answers are looked up.
      const dashboard = options.dashboard;
      if (dashboard !== undefined && (method === 'GET' || method === 'HEAD') && (url.pathname === '/' || router.pathsOf(url.pathname).length === 0) && dashboardBuilt(dashboard)) {
        const file = await readStaticFile(dashboard, url.pathname);
        if (file !== null) return sendFile(req, res, file);
      }
      if (method === 'OPTIONS') {
        const routes = router.pathsOf(url.pathname);
        if (routes.length === 0) throw new HttpProblem(404, 'not_found', `No endpoint at ${url.pathname}.`, { hint: 'GET /openapi.json lists the endpoints.' });
        const allow = allowedMethods(routes).join(', ');
        const preflight = Object.keys(cors).length === 0 ? {} : { 'access-control-allow-methods': allow, 'access-control-allow-headers': 'authorization, content-type', 'access-control-max-age': '600' };
        res.writeHead(204, { ...SECURITY_HEADERS, ...cors, ...preflight, allow });
        res.end();
        return;
      }
      const match = router.match(method, url.pathname);
      if (match.kind === 'not_found') throw new HttpProblem(404, 'not_found', `No endpoint ${method} ${url.pathname}.`, { hint: 'GET /openapi.json lists the endpoints.' });
      if (match.kind === 'bad_path') throw new HttpProblem(400, 'bad_path', match.detail, { hint: 'Percent-encode path segments (encodeURIComponent).' });
      if (match.kind === 'method_not_allowed') {
        throw new HttpProblem(405, 'method_not_allowed', `${url.pathname} does not answer ${method}.`, { hint: `It answers ${match.allow.join(', ')}.`, headers: { allow: match.allow.join(', ') } });
      }
      const { route } = match;
      if (route.access !== 'open') checkToken(req, token);
      if (route.access === 'write') {
        if (!ctx.allowWrites) throw new HttpProblem(403, 'writes_disabled', 'This server is read-only.', { hint: 'Start it with `cxray serve --allow-writes` to import and record changes through the API.' });
        const origin = req.headers.origin;
        const own = `http://${req.headers.host ?? ''}`;
        if (origin !== undefined && origin !== own && origin !== options.corsOrigin) {
          throw new HttpProblem(403, 'cross_origin', `Writes from the origin ${origin} are refused.`, { hint: 'Call the API from the same origin, or start the server with --cors-origin ORIGIN.' });
        }
      }
      const query = parseQuery(route.query, url.searchParams);
      const params = parsePath(route, match.params);
      let body: unknown;
      if (route.body !== undefined) body = parseBody(route.body, await readJsonBody(req));
      const reply = await route.handle({ query, params, body, ctx, origin: `http://${req.headers.host ?? `${options.host}:${options.port}`}` });
      await sendReply(req, res, reply, cors);
    } catch (error) {
      const { problem, headers, bug } = problemOf(error);
      if (bug !== null) log(`cxray serve: ${req.method ?? '?'} ${req.url ?? '?'} failed: ${bug instanceof Error ? (bug.stack ?? bug.message) : String(bug)}`);
      if (res.headersSent) {
        res.destroy();
        return;
      }
      send(res, problem.status, { ...cors, ...headers }, PROBLEM_CONTENT_TYPE, jsonText(problem));
    }
  };

  // Answers still being worked out: a client that hung up does not stop its query, and closing must not pull the store from under it.
  const inFlight = new Set<Promise<void>>();
  const server = createServer(
    { maxHeaderSize: limits.maxHeaderBytes, headersTimeout: limits.headersTimeoutMs, requestTimeout: limits.requestTimeoutMs, connectionsCheckingInterval: limits.checkIntervalMs },
    (req, res) => {
      const answering = handle(req, res);
      inFlight.add(answering);
      void answering.finally(() => inFlight.delete(answering));
    },
  );
  server.on('clientError', answerClientError);
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
    close: async () => {
      await new Promise<void>((r) => server.close(() => r()));
      await Promise.allSettled([...inFlight]);
      // An import already writing finishes (it cannot be stopped half-way; the pointer flips last either way).
      await ctx.imports.settle();
      await ctx.stores.close();
    },
  };
}
