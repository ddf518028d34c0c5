// One rung on one engine, in its own process (so peak memory is this work's
// own): import the simulated company's files into a fresh workspace, time each
// phase, run every implemented analysis and the whole `analyze`, and measure
// each analysis's floor; then score the company's prospects and export the
// customer scores. Prints one JSON document (MeasureEngineFigures) on
// stdout. Run by src/bench/run.ts; by hand:
//   node dist/bench/measure-engine.js --company bench/out/company-100000 --workspace /tmp/w --engine clickhouse
import { existsSync } from 'node:fs';
import { appendFile, mkdir, readdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ANALYSES } from '../analysis/registry.js';
import type { Analysis } from '../analysis/types.js';
import { runAnalyses } from '../analysis/run-analyses.js';
import type { Engine } from '../engine/types.js';
import { initWorkspace } from '../init/index.js';
import type { ImportProgress } from '../ingest/import.js';
import { dropClickHouseVersions } from '../workspace/store-engine.js';
import { Workspace } from '../workspace/workspace.js';
import { scanAggregateSeconds } from './scan-aggregate.js';
import { recordSimulatedChanges, workspaceAnalyses } from './simulated-changes.js';

export interface AnalysisFigures {
  name: string;
  status: string;
  /** The analysis with its dependencies (dependsOn, run first in the same call). */
  seconds: number;
  /** Its own run alone, its dependencies' Results given: what its reference step is compared with. */
  ownSeconds: number;
  dependencies: string[];
  /** SQL statements the analysis sent (its passes over the data). */
  statements: number;
  /** statements x one scan-aggregate of customer_facts on this engine. */
  floorSeconds: number;
  ratioToFloor: number;
}

export interface MeasureEngineFigures {
  engine: 'duckdb' | 'clickhouse';
  customers: number;
  rowsRead: number;
  tables: Record<string, number>;
  /** Read + validate + quarantine + identity, in the embedded staging store. */
  stagingSeconds: number;
  /** Canonical tables sent to the cluster (0 on DuckDB). */
  shippingSeconds: number;
  factsSeconds: number;
  /** The whole import: staging + shipping + facts + writing the version. */
  importSeconds: number;
  scanAggregateSeconds: number;
  analyses: AnalysisFigures[];
  /** Every implemented analysis in one `analyze` (dependencies once). */
  analyzeSeconds: number;
  /** `cxray score-prospects` on the company's prospects file and `cxray export scores`, after the import (no analysis stored). */
  scoring: ScoringFigures[];
  peakRssMiB: number;
}

export interface ScoringFigures {
  command: 'score-prospects' | 'export scores';
  status: 'ok' | 'skipped' | 'failed';
  seconds: number;
  /** Prospects scored, or customers exported. */
  rows: number;
  /** Why skipped or failed; else what was written. */
  detail: string;
}

/** Counts the statements an analysis sends, and nothing else. */
function counting(engine: Engine): { engine: Engine; count: () => number } {
  let statements = 0;
  const proxy = new Proxy(engine, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if ((property === 'query' || property === 'exec' || property === 'stream') && typeof value === 'function') {
        return (...args: unknown[]) => {
          statements += 1;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { engine: proxy, count: () => statements };
}

/** The analyses, each timing its own run (its dependencies run as analyses of their own, timed apart). */
function timedAnalyses(own: Map<string, number>, analyses: readonly Analysis[]): Analysis[] {
  return analyses.map((a) => ({
    ...a,
    run: async (ctx) => {
      const t = performance.now();
      try {
        return await a.run(ctx);
      } finally {
        own.set(a.name, (performance.now() - t) / 1000);
      }
    },
  }));
}

async function timeScoring<T>(command: ScoringFigures['command'], work: () => Promise<T>, rows: (answer: T) => number, detail: (answer: T) => string): Promise<ScoringFigures> {
  const t = performance.now();
  try {
    const answer = await work();
    return { command, status: 'ok', seconds: (performance.now() - t) / 1000, rows: rows(answer), detail: detail(answer) };
  } catch (error) {
    return { command, status: 'failed', seconds: (performance.now() - t) / 1000, rows: 0, detail: error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error) };
  }
}

/** score-prospects on the simulator's prospects file and export scores, each as the command runs it (its own store opening). */
async function measureScoring(ws: Workspace, company: string, workspace: string): Promise<ScoringFigures[]> {
  const prospects = join(company, 'prospects.csv');
  const scored: ScoringFigures = existsSync(prospects)
    ? await timeScoring(
        'score-prospects',
        () => ws.scoreProspects({ file: prospects, out: join(workspace, 'bench-prospects.csv') }),
        (a) => a.prospects.scored,
        (a) => `${a.prospects.scored} of ${a.prospects.read} prospects scored, ${a.rules.length} rules`,
      )
    : { command: 'score-prospects', status: 'skipped', seconds: 0, rows: 0, detail: 'no prospects.csv in the company' };
  const exported = await timeScoring(
    'export scores',
    () => ws.exportScores({ out: join(workspace, 'bench-scores.parquet') }),
    (a) => a.customers,
    (a) => `${a.customers} customers, ${a.actions.customers} on the action list`,
  );
  return [scored, exported];
}

export async function measureEngine(options: { company: string; workspace: string; engine: 'duckdb' | 'clickhouse'; database?: string }): Promise<MeasureEngineFigures> {
  const { company, workspace } = options;
  await rm(workspace, { recursive: true, force: true });
  await mkdir(workspace, { recursive: true });
  const csvs = (await readdir(company)).filter((f) => f.endsWith('.csv') && !f.startsWith('truth'));
  await initWorkspace({ dir: workspace, from: csvs.map((f) => join(company, f)), force: true });
  if (options.engine === 'clickhouse') {
    await appendFile(join(workspace, 'cxray.yaml'), `\nengine:\n  clickhouse:\n    database: ${options.database ?? 'cxray_bench'}\n`);
  }
  const ws = new Workspace(workspace);
  // The simulated change and A/B test, as `cxray demo` records them: `changes` measures both (and the reference reads them).
  await recordSimulatedChanges(ws, company);
  const registry = workspaceAnalyses(ws);
  const store = await ws.storeEngine();
  if (store.kind === 'clickhouse') {
    await dropClickHouseVersions(store);
  }

  // Phase boundaries from the import's own progress reports.
  const phaseStart = new Map<ImportProgress['phase'], number>();
  const started = performance.now();
  const result = await ws.import({
    onProgress: (p) => {
      if (!phaseStart.has(p.phase)) phaseStart.set(p.phase, performance.now());
    },
  });
  const importSeconds = (performance.now() - started) / 1000;
  const at = (phase: ImportProgress['phase']): number | undefined => phaseStart.get(phase);
  const shipping = at('shipping');
  const facts = at('facts');
  const writing = at('writing') ?? performance.now();
  const stagingEnd = shipping ?? facts ?? writing;
  const stagingSeconds = (stagingEnd - started) / 1000;
  const shippingSeconds = shipping === undefined ? 0 : ((facts ?? writing) - shipping) / 1000;
  const factsSeconds = facts === undefined ? 0 : (writing - facts) / 1000;

  const opened = await ws.openStore();
  const { config, hash } = await ws.config();
  const ledger = (await ws.versions()).find((v) => v.version === opened.version);
  if (ledger === undefined) throw new Error('the imported version has no ledger');
  const analyses: AnalysisFigures[] = [];
  let scan = 0;
  let analyzeSeconds = 0;
  try {
    scan = await scanAggregateSeconds(opened.engine, 'customer_facts');
    const implemented = ANALYSES.filter((a) => a.implemented).map((a) => a.name);
    const own = new Map<string, number>();
    const timed = timedAnalyses(own, registry);
    for (const name of implemented) {
      const counter = counting(opened.engine);
      const t = performance.now();
      const output = await runAnalyses(
        { workspace, engine: counter.engine, ledger, config, configHash: hash, resultsDir: null, snapshotsDir: null, analyses: timed },
        { names: [name], fresh: true },
      );
      const seconds = (performance.now() - t) / 1000;
      const statements = counter.count();
      analyses.push({
        name,
        status: output.results.find((r) => r.name === name)?.status ?? 'missing',
        seconds,
        ownSeconds: own.get(name) ?? seconds,
        dependencies: [...(ANALYSES.find((a) => a.name === name)?.dependsOn ?? [])],
        statements,
        floorSeconds: statements * scan,
        ratioToFloor: seconds / Math.max(statements * scan, 1e-9),
      });
    }
    const t = performance.now();
    await runAnalyses({ workspace, engine: opened.engine, ledger, config, configHash: hash, resultsDir: null, snapshotsDir: null, analyses: registry }, { names: implemented, fresh: true });
    analyzeSeconds = (performance.now() - t) / 1000;
  } finally {
    await opened.close();
  }
  const scoring = await measureScoring(ws, company, workspace);
  return {
    engine: options.engine,
    customers: result.ledger.tables['customers'] ?? 0,
    rowsRead: result.ledger.totals.read,
    tables: result.ledger.tables,
    stagingSeconds,
    shippingSeconds,
    factsSeconds,
    importSeconds,
    scanAggregateSeconds: scan,
    analyses,
    analyzeSeconds,
    scoring,
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { company: { type: 'string' }, workspace: { type: 'string' }, engine: { type: 'string', default: 'duckdb' }, database: { type: 'string' } },
  });
  if (values.company === undefined || values.workspace === undefined || !existsSync(join(values.company, 'truth.json'))) {
    throw new Error('usage: measure-engine --company DIR (simulated) --workspace DIR [--engine duckdb|clickhouse] [--database PREFIX]');
  }
  const engine = values.engine === 'clickhouse' ? 'clickhouse' : 'duckdb';
  const figures = await measureEngine({
    company: resolve(values.company),
    workspace: resolve(values.workspace),
    engine,
    ...(values.database === undefined ? {} : { database: values.database }),
  });
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

if (process.argv[1]?.endsWith('measure-engine.js') === true) await main();
