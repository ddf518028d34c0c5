import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { UserError } from '../../errors.js';
import { initWorkspace } from '../../init/index.js';
import { simulateCompany } from '../../simulate/index.js';
import { Workspace } from '../../workspace/workspace.js';
import { contextOf, examples } from '../context.js';
import { formatLedger } from '../format.js';
import { createProgress } from '../progress.js';
import { serveUntilStopped } from './serve.js';
import { parseWholeNumber } from './simulate.js';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('The whole job on a simulated company: simulate, init, import, then serve the workspace.')
    .option('--customers <n>', 'number of simulated customers', '20000')
    .option('--seed <s>', 'random seed', '1')
    .option('--no-serve', 'stop after the import instead of serving')
    .option('--port <port>', 'port to serve on', '4173')
    .option('--engine <engine>', 'store engine: duckdb (embedded) or clickhouse', 'duckdb')
    .addHelpText(
      'after',
      `
The workspace defaults to ./cxray-demo (or --workspace). Re-running reuses the
simulated exports and config already there, and imports again only if they changed.
${examples('cxray demo', 'cxray demo --customers 100k --seed 3 --no-serve', 'cxray demo --workspace /tmp/northwind --port 8080')}`,
    )
    .action(async (options: { customers: string; seed: string; serve: boolean; port: string; engine: string }, command: Command) => {
      const ctx = contextOf(command, './cxray-demo');
      const { out } = ctx;
      const dir = ctx.workspaceGiven ? ctx.workspaceDir : resolve('cxray-demo');
      if (options.engine !== 'duckdb') {
        throw new UserError('engine_unavailable', `The ${options.engine} engine is not available yet in this build.`, { hint: 'Use --engine duckdb (the default).' });
      }
      const customers = parseWholeNumber(options.customers, '--customers', 10, 50_000_000);
      const seed = parseWholeNumber(options.seed, '--seed', 0, 2 ** 31 - 1);
      const exportsDir = join(dir, 'exports');
      if (!existsSync(join(exportsDir, 'truth.json'))) {
        const progress = createProgress('simulating', 'customers');
        try {
          await simulateCompany({ customers, seed, outDir: exportsDir, onProgress: (done, total) => progress.update(done, total) });
        } finally {
          progress.stop();
        }
        out.log(`Simulated ${customers} customers into ${exportsDir}`);
      }
      if (!existsSync(join(dir, 'cxray.yaml'))) {
        const files = (await readdir(exportsDir)).filter((f) => f.endsWith('.csv')).map((f) => join(exportsDir, f));
        await initWorkspace({ dir, from: files, force: false });
        out.log(`Wrote ${join(dir, 'cxray.yaml')}`);
      }
      const workspace = new Workspace(dir);
      const progress = createProgress('importing', 'MB');
      let result;
      try {
        result = await workspace.import({ onProgress: (p) => progress.update(Math.round(p.done / 1e6), Math.round(p.total / 1e6), p.phase) });
      } finally {
        progress.stop();
      }
      for (const w of result.warnings) out.warn(w);
      if (!options.serve) {
        out.result({ workspace: dir, import: result }, () =>
          result.changed ? formatLedger(result.ledger, `Imported version ${result.version ?? '?'} into ${dir}.`) : `The demo workspace ${dir} is up to date (version ${result.version ?? '?'}).`,
        );
        return;
      }
      if (!out.json) process.stderr.write(`${result.changed ? `Imported version ${result.version ?? '?'}` : `Up to date at version ${result.version ?? '?'}`}: ${result.ledger.totals.read.toLocaleString('en-US')} rows read, ${result.ledger.totals.quarantined.toLocaleString('en-US')} quarantined.\n`);
      await serveUntilStopped(workspace, out, { port: options.port });
    });
}
