import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { UserError } from '../../errors.js';
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
  const running = await startServer(workspace, { host: flags.host ?? '127.0.0.1', port, token, allowWrites, corsOrigin: flags.corsOrigin, dashboard: DASHBOARD_DIR });
  out.result({ url: running.url, workspace: workspace.paths.root, allowWrites, api: `${running.url}openapi.json` }, () =>
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
    .addHelpText(
      'after',
      `
The API is JSON, described at /openapi.json; errors are problem+json. A token
(CXRAY_TOKEN or --token-file) is required for everything but /api/health when
--host is not loopback, and on loopback when one is set:
Authorization: Bearer <token>. Writes need --allow-writes and a JSON
Content-Type.
${examples('cxray serve', 'cxray serve --port 8080', 'cxray serve --allow-writes', 'CXRAY_TOKEN=s3cret cxray serve --host 0.0.0.0')}`,
    )
    .action(async (flags: ServeFlags, command: Command) => {
      const { out, workspace } = contextOf(command);
      await serveUntilStopped(workspace, out, flags);
    });
}
