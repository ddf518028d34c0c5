// npm run bench: measured figures, written to bench/results.json. Not part of
// npm test. Ratios are taken in one run, against a reference measured in the
// same process on the same files (ENGINES.md: timings vary 10-25% between runs).
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDbEngine } from '../engine/duckdb/engine.js';
import { buildCustomerFacts } from '../facts/index.js';
import { initWorkspace } from '../init/index.js';
import { simulateCompany } from '../simulate/index.js';
import { loadConfig } from '../config/load.js';
import { importWorkspace } from '../ingest/import.js';

interface Figures {
  customers: number;
  files: { name: string; bytes: number }[];
  rowsRead: number;
  simulateSeconds: number;
  bareReadSeconds: number;
  importSeconds: number;
  importWithoutFactsSeconds: number;
  factsSeconds: number;
  importToBareReadRatio: number;
  importRowsPerSecond: number;
  peakRssMiB: number;
}

function peakRssMiB(): number {
  // maxRSS is in KiB on Linux.
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

async function rung(customers: number, root: string, log: (s: string) => void): Promise<Figures> {
  const company = join(root, `company-${customers}`);
  let simulateSeconds = 0;
  if (!existsSync(join(company, 'truth.json'))) {
    const started = performance.now();
    await simulateCompany({ customers, seed: 1, outDir: company });
    simulateSeconds = (performance.now() - started) / 1000;
  }
  const csvs = (await readdir(company)).filter((f) => f.endsWith('.csv') && !f.startsWith('truth'));
  const workspace = join(root, `workspace-${customers}`);
  await rm(workspace, { recursive: true, force: true });
  await mkdir(workspace, { recursive: true });
  await initWorkspace({ dir: workspace, from: csvs.map((f) => join(company, f)), force: true });
  const { config, hash } = await loadConfig(workspace);

  // The reference: DuckDB's bare read_csv of the same files (auto-detected, typed), in this process.
  log(`  bare read_csv of ${csvs.length} files`);
  const bare = await DuckDbEngine.open(join(root, 'bare.duckdb'), { memoryLimit: '4GB' });
  const bareStarted = performance.now();
  for (const [i, f] of csvs.entries()) {
    const skip = f.includes('qualtrics') ? ', skip = 2' : '';
    await bare.exec(`CREATE OR REPLACE TABLE t${i} AS SELECT * FROM read_csv(${bare.dialect.literal(join(company, f))}, ignore_errors = true${skip})`);
  }
  const bareReadSeconds = (performance.now() - bareStarted) / 1000;
  await bare.close();
  await rm(join(root, 'bare.duckdb'), { force: true });

  log('  cxray import (load + validate + quarantine + identity + customer_facts)');
  let factsSeconds = 0;
  const started = performance.now();
  const result = await importWorkspace(workspace, {
    config,
    configHash: hash,
    buildFacts: async (engine, asOf) => {
      const t = performance.now();
      await buildCustomerFacts(engine, { asOf, config });
      factsSeconds = (performance.now() - t) / 1000;
    },
  });
  const importSeconds = (performance.now() - started) / 1000;
  const importWithoutFactsSeconds = importSeconds - factsSeconds;
  const files = await Promise.all(csvs.map(async (f) => ({ name: f, bytes: (await import('node:fs')).statSync(join(company, f)).size })));
  return {
    customers,
    files,
    rowsRead: result.ledger.totals.read,
    simulateSeconds,
    bareReadSeconds,
    importSeconds,
    importWithoutFactsSeconds,
    factsSeconds,
    importToBareReadRatio: importWithoutFactsSeconds / bareReadSeconds,
    importRowsPerSecond: result.ledger.totals.read / importWithoutFactsSeconds,
    peakRssMiB: peakRssMiB(),
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { customers: { type: 'string', default: '100000,1000000' }, out: { type: 'string', default: 'bench/results.json' } } });
  const ladder = (values.customers ?? '').split(',').map((s) => Number(s.replace(/k$/i, '000').replace(/m$/i, '000000')));
  const root = resolve('bench', 'out');
  await mkdir(root, { recursive: true });
  const log = (s: string): void => void process.stderr.write(`${s}\n`);
  const rungs: Figures[] = [];
  for (const customers of ladder) {
    log(`rung: ${customers.toLocaleString('en-US')} customers`);
    const figures = await rung(customers, root, log);
    log(
      `  import ${figures.importWithoutFactsSeconds.toFixed(1)} s vs bare read ${figures.bareReadSeconds.toFixed(1)} s (x${figures.importToBareReadRatio.toFixed(2)}), customer_facts ${figures.factsSeconds.toFixed(1)} s, peak ${figures.peakRssMiB} MiB`,
    );
    rungs.push(figures);
  }
  const output = {
    createdAt: new Date().toISOString(),
    machine: { cores: (await import('node:os')).cpus().length, node: process.version },
    aims: { importToBareReadRatio: 1.5, peakRssMiB: 4096 },
    rungs,
  };
  await writeFile(resolve(values.out ?? 'bench/results.json'), `${JSON.stringify(output, null, 2)}\n`);
  log(`wrote ${values.out ?? 'bench/results.json'}`);
}

await main();
