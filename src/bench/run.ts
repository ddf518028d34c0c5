// npm run bench: measured figures, written to bench/results.json. Not part of
// npm test. Each rung is a simulated company (100k and 1M customers by default;
// --max 10m adds 10M). Per rung: DuckDB's bare read of the files (the import's
// reference), then each engine in its own process (measure-engine.ts: import
// phases, customer_facts, every analysis against its floor, peak memory), then
// the pandas reference pipeline (bench/reference) in both variants, checked
// against cxray's numbers. Ratios are taken within one rung of one run
// (ENGINES.md: timings vary 10-25% between runs).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { lifetimeValueAnalysis, lifetimeValueModel, runLifetimeValue, type LifetimeValueModel } from '../analysis/lifetime-value/index.js';
import { runAnalyses } from '../analysis/run-analyses.js';
import { DuckDbEngine } from '../engine/duckdb/engine.js';
import { Workspace } from '../workspace/workspace.js';
import { UserError } from '../errors.js';
import { simulateCompany } from '../simulate/index.js';
import { readTruth } from '../simulate/truth.js';
import { clusterMemory } from './cluster-memory.js';
import type { MeasureEngineFigures } from './measure-engine.js';
import { renderMarkdown, scalingExponents } from './report.js';
import { comparedResults, type ComparedResults } from './reference-compare.js';
import { measureReference, type ReferenceFigures } from './reference-run.js';

/** The lifetime-value analysis on one engine: the whole analysis, and the BG/NBD + Gamma-Gamma fits alone (issue 6's aim: under 5 s at 1M). */
export interface LifetimeValueFigures {
  analysisSeconds: number;
  fitSeconds: number;
  /** Distinct (x, tₓ, T) histories the BG/NBD likelihood sums over, and (x, mean spend) rows for Gamma-Gamma. */
  distinctHistories: number;
  spendRows: number;
  customers: number;
}

export interface RungFigures {
  customers: number;
  files: { name: string; bytes: number }[];
  simulateSeconds: number;
  bareReadSeconds: number;
  engines: (MeasureEngineFigures & { importToBareReadRatio: number; serverPeakMiB: number[]; lifetimeValue: LifetimeValueFigures | null })[];
  reference: ReferenceFigures[];
}

const HERE = fileURLToPath(new URL('.', import.meta.url));
const REPO = resolve(HERE, '..', '..');
const CLUSTER_SCRIPT = join(REPO, 'scripts', 'clickhouse-cluster.sh');
const CLUSTER_DIR = join(REPO, '.cache', 'clickhouse');

const log = (s: string): void => void process.stderr.write(`${s}\n`);

function parseCount(text: string): number {
  const n = Number(text.trim().replace(/_/g, '').replace(/k$/i, '000').replace(/m$/i, '000000'));
  if (!Number.isSafeInteger(n) || n < 10) throw new Error(`not a customer count: ${text}`);
  return n;
}

/** DuckDB's own read_csv of the same files, typed and in a table: the least an import can do. */
async function bareRead(company: string, csvs: string[], root: string): Promise<number> {
  const file = join(root, 'bare.duckdb');
  const bare = await DuckDbEngine.open(file, { memoryLimit: '4GB' });
  const started = performance.now();
  for (const [i, f] of csvs.entries()) {
    const skip = f.includes('qualtrics') ? ', skip = 2' : '';
    await bare.exec(`CREATE OR REPLACE TABLE t${i} AS SELECT * FROM read_csv(${bare.dialect.literal(join(company, f))}, ignore_errors = true${skip})`);
  }
  const seconds = (performance.now() - started) / 1000;
  await bare.close();
  await rm(file, { force: true });
  return seconds;
}

/** One engine's measurement in a child process: its peak memory is its own. */
function measureInChild(args: string[]): Promise<MeasureEngineFigures> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--max-old-space-size=4096', join(HERE, 'measure-engine.js'), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`measure-engine ${args.join(' ')} exited with ${code}`));
      else resolvePromise(JSON.parse(out.trim().split('\n').pop() ?? '{}') as MeasureEngineFigures);
    });
  });
}

async function rung(customers: number, root: string, engines: readonly string[], variants: readonly string[]): Promise<RungFigures> {
  const company = join(root, `company-${customers}`);
  let simulateSeconds = 0;
  if (existsSync(join(company, 'truth.json')) && !(await truthIsCurrent(join(company, 'truth.json')))) {
    // Simulated by an older cxray: what it planted is not what this one checks against.
    log(`  ${company} was simulated by another version of cxray: simulating it again`);
    await rm(company, { recursive: true, force: true });
  }
  if (!existsSync(join(company, 'truth.json'))) {
    log(`  simulating ${customers.toLocaleString('en-US')} customers`);
    const started = performance.now();
    await simulateCompany({ customers, seed: 1, outDir: company });
    simulateSeconds = (performance.now() - started) / 1000;
  }
  const csvs = (await readdir(company)).filter((f) => f.endsWith('.csv') && !f.startsWith('truth'));
  const files = csvs.map((f) => ({ name: f, bytes: statSync(join(company, f)).size }));
  log(`  bare read_csv of ${csvs.length} files (${(files.reduce((s, f) => s + f.bytes, 0) / 1e9).toFixed(2)} GB)`);
  const bareReadSeconds = await bareRead(company, csvs, root);

  const measured: RungFigures['engines'] = [];
  for (const engine of engines) {
    log(`  ${engine}: import, customer_facts, analyses`);
    if (engine === 'clickhouse') clusterMemory.reset(CLUSTER_DIR);
    const figures = await measureInChild(['--company', company, '--workspace', join(root, `workspace-${customers}-${engine}`), '--engine', engine, '--database', `cxray_bench_${customers}`]);
    const serverPeakMiB = engine === 'clickhouse' ? clusterMemory.peakMiB(CLUSTER_DIR) : [];
    const lifetimeValue = await measureLifetimeValue(join(root, `workspace-${customers}-${engine}`));
    measured.push({ ...figures, importToBareReadRatio: figures.stagingSeconds / bareReadSeconds, serverPeakMiB, lifetimeValue });
    for (const x of figures.scoring) log(`    ${x.command}: ${x.status}, ${x.seconds.toFixed(2)} s (${x.detail})`);
    if (lifetimeValue !== null) {
      log(`    lifetime-value ${lifetimeValue.analysisSeconds.toFixed(2)} s, of which BG/NBD + Gamma-Gamma fits ${lifetimeValue.fitSeconds.toFixed(2)} s on ${lifetimeValue.distinctHistories.toLocaleString('en-US')} distinct histories`);
    }
    log(
      `    import ${figures.importSeconds.toFixed(1)} s (staging ${figures.stagingSeconds.toFixed(1)} s = x${(figures.stagingSeconds / bareReadSeconds).toFixed(2)} the bare read, shipping ${figures.shippingSeconds.toFixed(1)} s, facts ${figures.factsSeconds.toFixed(1)} s), analyze ${figures.analyzeSeconds.toFixed(2)} s, peak ${figures.peakRssMiB} MiB`,
    );
  }

  const reference: ReferenceFigures[] = [];
  const asOf = (await readTruth(join(company, 'truth.json'))).asOf;
  const duckWorkspace = engines.includes('duckdb') ? join(root, `workspace-${customers}-duckdb`) : null;
  // cxray's Results for the comparison, once for both variants (if this fails, each variant's comparison says why).
  let results: ComparedResults | undefined;
  if (duckWorkspace !== null && variants.length > 0) {
    try {
      results = await comparedResults(duckWorkspace);
    } catch (error) {
      log(`  cxray's Results for the comparison: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  for (const variant of variants) {
    log(`  reference (pandas, ${variant})`);
    let figures: ReferenceFigures;
    try {
      figures = await measureReference({
        company,
        asOf,
        variant: variant as 'idiomatic' | 'best',
        outDir: join(root, `reference-${customers}-${variant}`),
        workspace: duckWorkspace,
        ...(results === undefined ? {} : { results }),
      });
    } catch (error) {
      // A reference that cannot finish (e.g. out of memory at a large rung) is a result too, not the end of the ladder.
      const message = error instanceof Error ? error.message.split('\n').slice(-3).join(' ') : String(error);
      figures = { variant, readSeconds: NaN, factsSeconds: NaN, analysisSeconds: NaN, steps: {}, totalSeconds: NaN, peakRssMiB: 0, agreement: { ok: false, summary: `did not finish: ${message}`, mismatches: [] } };
    }
    reference.push(figures);
    log(`    ${figures.totalSeconds.toFixed(1)} s in all, analysis steps ${figures.analysisSeconds.toFixed(2)} s, peak ${figures.peakRssMiB} MiB, agreement: ${figures.agreement.summary}`);
  }
  return { customers, files, simulateSeconds, bareReadSeconds, engines: measured, reference };
}

/** Runs lifetime-value once more on the imported workspace, keeping its model, for the fit time alone. */
async function measureLifetimeValue(workspace: string): Promise<LifetimeValueFigures | null> {
  const ws = new Workspace(workspace);
  const opened = await ws.openStore();
  try {
    const { config, hash } = await ws.config();
    const ledger = (await ws.versions()).find((v) => v.version === opened.version);
    if (ledger === undefined) return null;
    let model: LifetimeValueModel | null = null;
    const started = performance.now();
    const output = await runAnalyses(
      {
        workspace,
        engine: opened.engine,
        ledger,
        config,
        configHash: hash,
        resultsDir: null,
        snapshotsDir: null,
        analyses: [{ ...lifetimeValueAnalysis, run: async (ctx) => runLifetimeValue(ctx, lifetimeValueAnalysis, (model = await lifetimeValueModel(ctx))) }],
      },
      { names: ['lifetime-value'], fresh: true },
    );
    const analysisSeconds = (performance.now() - started) / 1000;
    const fitted = model as LifetimeValueModel | null;
    if (fitted === null || output.results[0]?.status !== 'ok') return null;
    return {
      analysisSeconds,
      fitSeconds: fitted.models.fitSeconds,
      distinctHistories: fitted.models.rows.length,
      spendRows: fitted.summaries.spend.length,
      customers: fitted.models.bgNbd.n,
    };
  } finally {
    await opened.close();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      customers: { type: 'string', default: '100k,1m' },
      max: { type: 'string' },
      engines: { type: 'string', default: 'duckdb,clickhouse' },
      reference: { type: 'string', default: 'idiomatic,best' },
      out: { type: 'string', default: 'bench/results.json' },
    },
  });
  const ladder = (values.customers ?? '').split(',').filter((s) => s.length > 0).map(parseCount);
  if (values.max !== undefined) {
    const max = parseCount(values.max);
    for (const n of [10_000_000]) if (n <= max && !ladder.includes(n)) ladder.push(n);
  }
  const engines = (values.engines ?? '').split(',').filter((e) => e === 'duckdb' || e === 'clickhouse');
  const variants = values.reference === 'none' ? [] : (values.reference ?? '').split(',').filter((v) => v === 'idiomatic' || v === 'best');
  const root = resolve(REPO, 'bench', 'out');
  await mkdir(root, { recursive: true });
  const cluster = engines.includes('clickhouse');
  if (cluster) execFileSync(CLUSTER_SCRIPT, ['start', '--lease', String(process.pid)], { stdio: ['ignore', 'ignore', 'inherit'] });
  const rungs: RungFigures[] = [];
  try {
    for (const customers of ladder.sort((a, b) => a - b)) {
      log(`rung: ${customers.toLocaleString('en-US')} customers`);
      rungs.push(await rung(customers, root, engines, variants));
      // Written after every rung, so a long ladder stopped early keeps what it measured.
      await writeResults(values.out ?? 'bench/results.json', rungs);
    }
  } finally {
    if (cluster) execFileSync(CLUSTER_SCRIPT, ['stop', '--lease', String(process.pid)], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  process.stdout.write(renderMarkdown(rungs));
}

async function truthIsCurrent(path: string): Promise<boolean> {
  try {
    await readTruth(path);
    return true;
  } catch (error) {
    if (error instanceof UserError && error.code === 'truth_invalid') return false;
    throw error;
  }
}

async function writeResults(out: string, rungs: RungFigures[]): Promise<void> {
  const output = {
    createdAt: new Date().toISOString(),
    machine: { cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, clickhouse: clickhouseVersion() },
    aims: { importToBareReadRatio: 1.5, analyzeSecondsAt1M: 60, analyzeSpeedupOverReference: 10, analysisToFloorRatio: 3, peakRssMiB: 4096, lifetimeValueFitSecondsAt1M: 5 },
    rungs,
    scaling: scalingExponents(rungs),
    markdown: renderMarkdown(rungs),
  };
  await writeFile(resolve(REPO, out), `${JSON.stringify(output, null, 2)}\n`);
  log(`wrote ${out}`);
}

function clickhouseVersion(): string | null {
  try {
    return execFileSync('/usr/bin/clickhouse-client', ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}

await main();
