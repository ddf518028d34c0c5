import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { appendFile, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { UserError } from '../../errors.js';
import { initWorkspace } from '../../init/index.js';
import { writeReport } from '../../report/index.js';
import { readTruth, type Truth } from '../../simulate/truth.js';
import { companyCostsYaml, simulateCompany, simulatedChange, simulatedExperimentYaml } from '../../simulate/index.js';
import { Workspace } from '../../workspace/workspace.js';
import { contextOf, examples } from '../context.js';
import { formatLedger } from '../format.js';
import { createProgress } from '../progress.js';
import { serveUntilStopped } from './serve.js';
import { parseWholeNumber } from './simulate.js';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('The whole job on a simulated company: simulate, init, import, analyse, then serve the workspace.')
    .option('--customers <n>', 'number of simulated customers', '20000')
    .option('--seed <s>', 'random seed', '1')
    .option('--no-serve', 'stop after the import instead of serving')
    .option('--port <port>', 'port to serve on', '4173')
    .option('--engine <engine>', 'store engine: duckdb (embedded) or clickhouse', 'duckdb')
    .addHelpText(
      'after',
      `
The workspace defaults to ./cxray-demo (./cxray-demo-clickhouse with --engine
clickhouse), or --workspace. Re-running reuses the simulated exports and config
already there, and imports again only if they changed.

--engine clickhouse stores the workspace on the local two-shard ClickHouse
cluster (start it with scripts/clickhouse-cluster.sh start; the password, if
any, is read from $CXRAY_CLICKHOUSE_PASSWORD). Files are still read and
validated by the embedded engine; the tables and every analysis live on the
cluster.
${examples('cxray demo', 'cxray demo --customers 100k --seed 3 --no-serve', 'cxray demo --workspace /tmp/northwind --port 8080', 'cxray demo --engine clickhouse --no-serve')}`,
    )
    .action(async (options: { customers: string; seed: string; serve: boolean; port: string; engine: string }, command: Command) => {
      const ctx = contextOf(command, './cxray-demo');
      const { out } = ctx;
      if (options.engine !== 'duckdb' && options.engine !== 'clickhouse') {
        throw new UserError('bad_argument', `--engine must be duckdb or clickhouse, not ${JSON.stringify(options.engine)}.`, { hint: 'cxray demo --engine clickhouse' });
      }
      const engine = options.engine;
      const dir = ctx.workspaceGiven ? ctx.workspaceDir : resolve(engine === 'duckdb' ? 'cxray-demo' : 'cxray-demo-clickhouse');
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
        await appendFile(join(dir, 'cxray.yaml'), companyCostsYaml() + simulatedExperimentYaml(await readTruth(join(exportsDir, 'truth.json'))));
        if (engine === 'clickhouse') {
          await appendFile(join(dir, 'cxray.yaml'), '\n# the store: the local two-shard cluster of scripts/clickhouse-cluster.sh\nengine: clickhouse\n');
        }
        out.log(`Wrote ${join(dir, 'cxray.yaml')}`);
      }
      const workspace = new Workspace(dir);
      const configured = (await workspace.storeEngine()).kind;
      if (configured !== engine) {
        throw new UserError('engine_mismatch', `The workspace ${dir} stores its data in ${configured}, not ${engine}.`, {
          hint: `Use another --workspace for the ${engine} demo, or change engine: in ${join(dir, 'cxray.yaml')}.`,
        });
      }
      const progress = createProgress('importing', 'MB');
      let result;
      try {
        result = await workspace.import({ onProgress: (p) => progress.update(Math.round(p.done / 1e6), Math.round(p.total / 1e6), p.phase) });
      } finally {
        progress.stop();
      }
      for (const w of result.warnings) out.warn(w);
      await recordIntervention(workspace, await readTruth(join(exportsDir, 'truth.json')));
      const analysed = await workspace.analyze();
      const failed = analysed.results.filter((r) => r.status === 'failed');
      for (const r of failed) out.warn(`${r.name} failed: ${r.reason ?? 'no reason given'}`);
      const ok = analysed.results.filter((r) => r.status === 'ok').map((r) => r.name);
      // The written report of the stored Results (HTML: no browser needed; `cxray report --out report.pdf` prints one).
      const report = await writeReport(workspace, { out: join(dir, 'report.html') });
      if (!options.serve) {
        out.result({ workspace: dir, engine, import: result, analyses: { ok, failed: failed.map((r) => r.name) }, report: report.out }, () =>
          [
            result.changed ? formatLedger(result.ledger, `Imported version ${result.version ?? '?'} into ${dir}.`) : `The demo workspace ${dir} is up to date (version ${result.version ?? '?'}).`,
            `Analysed (${engine}): ${ok.join(', ') || 'nothing'}${failed.length > 0 ? `; failed: ${failed.map((r) => r.name).join(', ')}` : ''}. See \`cxray analyze --workspace ${dir}\`.`,
            `Wrote the report: ${report.out}`,
          ].join('\n'),
        );
        if (failed.length > 0) process.exitCode = 1;
        return;
      }
      if (!out.json) process.stderr.write(`${result.changed ? `Imported version ${result.version ?? '?'}` : `Up to date at version ${result.version ?? '?'}`}: ${result.ledger.totals.read.toLocaleString('en-US')} rows read, ${result.ledger.totals.quarantined.toLocaleString('en-US')} quarantined.\n`);
      if (!out.json) process.stderr.write(`Wrote the report: ${report.out}\n`);
      await serveUntilStopped(workspace, out, { port: options.port });
    });
}

/** The change the simulated company made, recorded once as its owner would with `cxray changes add`, so that the demo's `changes` measures it. */
async function recordIntervention(workspace: Workspace, truth: Truth): Promise<void> {
  const change = simulatedChange(truth);
  if ((await workspace.changes()).some((c) => c.name === change.name)) return;
  await workspace.addChange(change);
}
