import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { UserError } from '../../errors.js';
import { defaultBurst, DEFAULT_RATE_LIMIT, type RateLimit } from '../../server/rate-limit.js';
import { startServer } from '../../server/serve.js';
import { DASHBOARD_DIR } from '../../server/static-files.js';
import type { Workspace } from '../../workspace/workspace.js';
import type { Output } from '../output.js';
import { contextOf, examples } from '../context.js';

export interface ServeFlags {
  port?: string;
  host?: string;
  tokenFile?: string;
  allowWrites?: boolean;
  corsOrigin?: string;
  rateLimit?: string;
  rateBurst?: string;
}

/** --rate-limit N (0: none) and --rate-burst N as the server takes them. */
export function rateLimitOf(flags: Pick<ServeFlags, 'rateLimit' | 'rateBurst'>): RateLimit | null {
  const whole = (text: string, flag: string, min: number): number => {
    const n = Number(text);
    if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < min) {
      throw new UserError('bad_argument', `${flag} ${text} is not a whole number of at least ${min}.`, { hint: `e.g. --rate-limit ${DEFAULT_RATE_LIMIT.ratePerSecond} --rate-burst ${DEFAULT_RATE_LIMIT.burst}; --rate-limit 0 turns the limit off.` });
    }
    return n;
  };
  if (flags.rateLimit === undefined) return flags.rateBurst === undefined ? DEFAULT_RATE_LIMIT : { ...DEFAULT_RATE_LIMIT, burst: whole(flags.rateBurst, '--rate-burst', 1) };
  const ratePerSecond = whole(flags.rateLimit, '--rate-limit', 0);
  if (ratePerSecond === 0) return null;
  return { ratePerSecond, burst: flags.rateBurst === undefined ? defaultBurst(ratePerSecond) : whole(flags.rateBurst, '--rate-burst', 1) };
}

/** Serve until SIGINT or SIGTERM, then close and resolve (exit code 0). */
export async function serveUntilStopped(workspace: Workspace, out: Output, flags: ServeFlags): Promise<void> {
  const port = Number(flags.port ?? '4173');
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UserError('bad_argument', `--port ${flags.port ?? ''} is not a port number.`, { hint: 'Give a whole number from 1 to 65535 (0 picks a free one).' });
  }
  let token = process.env['CXRAY_TOKEN'];
  if (flags.tokenFile !== undefined) {
    try {
      token = readFileSync(flags.tokenFile, 'utf8').trim();
    } catch (error) {
      throw new UserError('token_file_unreadable', `Cannot read the token file ${flags.tokenFile}.`, { hint: 'Check the path and permissions.', file: flags.tokenFile, cause: error });
    }
  }
  if (flags.corsOrigin !== undefined && !/^https?:\/\/[^/\s]+$/.test(flags.corsOrigin)) {
    throw new UserError('bad_argument', `--cors-origin ${flags.corsOrigin} is not an origin.`, { hint: 'Give scheme, host and port only, e.g. --cors-origin http://localhost:5173.' });
  }
  const allowWrites = flags.allowWrites === true;
  const rateLimit = rateLimitOf(flags);
  const running = await startServer(workspace, { host: flags.host ?? '127.0.0.1', port, token, allowWrites, corsOrigin: flags.corsOrigin, dashboard: DASHBOARD_DIR, rateLimit });
  out.result({ url: running.url, workspace: workspace.paths.root, allowWrites, rateLimit, api: `${running.url}openapi.json` }, () =>
    [`cxray is serving ${workspace.paths.root} at ${running.url}`, `API: ${running.url}openapi.json (${allowWrites ? 'imports and changes allowed' : 'read-only; --allow-writes enables imports and changes'})`, 'Press Ctrl+C to stop.'].join('\n'),
  );
  await new Promise<void>((resolveStop) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void running.close().then(resolveStop);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('Serve the workspace over HTTP (the dashboard and the API) on one port, bound to 127.0.0.1 by default.')
    .option('--port <port>', 'port to listen on', '4173')
    .option('--host <host>', 'address to bind; any other than loopback requires CXRAY_TOKEN or --token-file', '127.0.0.1')
    .option('--token-file <file>', 'a file holding the access token')
    .option('--allow-writes', 'enable imports and changes through the API (POST /api/import, POST and DELETE /api/changes); read-only without it')
    .option('--cors-origin <origin>', 'let pages of this one origin call the API from a browser (CORS is off by default)')
    .option('--rate-limit <n>', `requests per second per token (per address without one); 0 turns the limit off (default ${DEFAULT_RATE_LIMIT.ratePerSecond})`)
    .option('--rate-burst <n>', `requests at once after a quiet spell (default ${DEFAULT_RATE_LIMIT.burst}, or 4 seconds' worth of --rate-limit)`)
    .addHelpText(
      'after',
      `
The API is JSON, described at /openapi.json; errors are problem+json. A token
(CXRAY_TOKEN or --token-file) is required for everything but /api/health when
--host is not loopback, and on loopback when one is set:
Authorization: Bearer <token>. Writes need --allow-writes and a JSON
Content-Type. Over the rate limit a client gets 429 with Retry-After; bodies
are limited to 64 KiB, URLs to 8 KiB, headers to 16 KiB, and a request must
arrive within 30 s (its headers within 10 s).
${examples('cxray serve', 'cxray serve --port 8080', 'cxray serve --allow-writes', 'CXRAY_TOKEN=s3cret cxray serve --host 0.0.0.0')}`,
    )
    .action(async (flags: ServeFlags, command: Command) => {
      const { out, workspace } = contextOf(command);
      await serveUntilStopped(workspace, out, flags);
    });
}
