import { rm, unlink } from 'node:fs/promises';
import { Rng } from '../simulate/random.js';
import { versionLedgerFile, versionStoreFile } from '../workspace/paths.js';
import { ClickHouseEngine } from '../engine/clickhouse/engine.js';
import { clickhouseVersionLocation, dropClickHouseVersion, dropClickHouseVersions, type StoreEngineConfig } from '../workspace/store-engine.js';
import { listVersions, readCurrent } from '../workspace/versions.js';
import { Workspace } from '../workspace/workspace.js';
import { parseJsonOutput, runCli } from './cli-process.js';
import { crashRun, DEATH_PHASES, residueNames, type CrashRunRecord, type DeathPhase } from './crash-run.js';
import { makeCrashWorkspace, type CrashEngine } from './crash-workspace.js';
import { listStoreFiles } from './store-files.js';

export interface CrashLoopOptions {
  engine: CrashEngine;
  /** Killed imports to run. */
  runs: number;
  /** Simulated customers (the company's size; the import's duration follows). */
  customers: number;
  /** Seeds the company, the changes to the exports and the kill delays: print it to replay a run. */
  seed: number;
  /** A folder of the caller's; the workspace is made inside it. */
  dir: string;
  /**
   * Kill delays are drawn in [0, durationMs]. When absent, the bound is the
   * measured wall time of the latest uninterrupted import: the first import,
   * then each re-import that wrote a version (a shared machine's load moves
   * it; a fixed bound would leave every kill early, or late, as load changes).
   */
  durationMs?: number;
  /** ClickHouse: the prefix of the workspace's version databases (dropped at the end). */
  database?: string;
  /** Called after each run (a script prints a line). */
  onRun?: (record: CrashRunRecord) => void;
  /** Keep the ClickHouse databases at the end (to look at a failure). */
  keepDatabases?: boolean;
}

export interface CrashLoopSummary {
  engine: CrashEngine;
  runs: number;
  customers: number;
  seed: number;
  /** The first bound of the kill delays (later runs' bounds are in their records), and whether bounds were measured here. */
  durationMs: number;
  durationMeasured: boolean;
  /** Rows of version 1 (what an import of this company loads). */
  tables: Record<string, number>;
  startedAt: string;
  seconds: number;
  records: CrashRunRecord[];
  tally: {
    killed: number;
    finishedBeforeKill: number;
    landedPrevious: number;
    landedNew: number;
    landedElsewhere: number;
    staleLockLeft: number;
    stagingLeft: number;
    reimportOk: number;
    failed: number;
    /** Runs that left a file no later import removes (see CrashRunRecord.newResidue). */
    residue: number;
    byPhase: Record<DeathPhase, number>;
  };
  /** Wall time of the re-imports (plain imports after a crash, run alone). */
  reimportMs: { median: number; max: number };
}

/**
 * Versions older than the current one are removed between runs (no import
 * is running then), so a long loop does not pile up store files or
 * databases; orphan ledgers are left, they are what the loop reports.
 */
async function pruneOldVersions(ws: Workspace): Promise<void> {
  const current = (await readCurrent(ws.paths))?.version;
  if (current === undefined) return;
  const store = await ws.storeEngine();
  for (const ledger of await listVersions(ws.paths)) {
    if (ledger.version >= current) continue;
    if (store.kind === 'clickhouse') await dropClickHouseVersion(store, clickhouseVersionLocation(store, ledger.version));
    else await rm(versionStoreFile(ws.paths, ledger.version), { force: true });
    await unlink(versionLedgerFile(ws.paths, ledger.version));
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return 0;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

export function tallyRuns(records: readonly CrashRunRecord[]): CrashLoopSummary['tally'] {
  const byPhase = Object.fromEntries(DEATH_PHASES.map((p) => [p, 0])) as Record<DeathPhase, number>;
  for (const r of records) byPhase[r.died] += 1;
  return {
    killed: records.filter((r) => r.ended === 'killed').length,
    finishedBeforeKill: records.filter((r) => r.ended === 'finished').length,
    landedPrevious: records.filter((r) => r.landed === 'previous').length,
    landedNew: records.filter((r) => r.landed === 'new').length,
    landedElsewhere: records.filter((r) => r.landed === 'other' || r.landed === 'none').length,
    staleLockLeft: records.filter((r) => r.afterKill.lock === 'stale').length,
    stagingLeft: records.filter((r) => r.afterKill.staging > 0).length,
    reimportOk: records.filter((r) => r.reimport.exitCode === 0).length,
    failed: records.filter((r) => r.outcome === 'fail').length,
    residue: records.filter((r) => r.outcome === 'residue').length,
    byPhase,
  };
}

/**
 * The crash loop: a workspace over a simulated company, version 1 imported
 * uninterrupted (its wall time bounds the first kill delay), then `runs`
 * rounds of change the exports, kill an import at a random moment, check,
 * re-import, check (crash-run.ts). Delays (as fractions of the bound) and
 * changes come from `seed`: the same seed and a fixed `durationMs` replay
 * the same kills (the step a delay lands in still varies with the machine's load).
 */
export async function runCrashLoop(options: CrashLoopOptions): Promise<CrashLoopSummary> {
  const started = Date.now();
  const startedAt = new Date(started).toISOString();
  if (options.engine === 'clickhouse' && options.database === undefined) throw new Error('the ClickHouse crash loop needs a database prefix');
  await makeCrashWorkspace({ dir: options.dir, customers: options.customers, seed: options.seed, engine: options.engine, ...(options.database === undefined ? {} : { database: options.database }) });
  const ws = new Workspace(options.dir);
  const records: CrashRunRecord[] = [];
  try {
    const first = await runCli(['import', '--workspace', options.dir, '--json']);
    if (first.code !== 0) throw new Error(`the first import failed (exit ${String(first.code)}): ${first.stdout.slice(-2000)} ${first.stderr.slice(-2000)}`);
    const tables = parseJsonOutput<{ ledger: { tables: Record<string, number> } }>(first, 'the first import').ledger.tables;
    const durationMs = options.durationMs ?? Math.round(first.ms);
    const root = Rng.fromSeed(options.seed);
    const delays = root.fork();
    const changes = root.fork();
    let boundMs = durationMs;
    for (let run = 1; run <= options.runs; run += 1) {
      await pruneOldVersions(ws);
      const residueBefore = new Set(residueNames(await listStoreFiles(ws)));
      const record = await crashRun({ ws, run, rng: changes, fraction: delays.float(), boundMs, residueBefore });
      records.push(record);
      options.onRun?.(record);
      if (options.durationMs === undefined && record.reimport.exitCode === 0 && record.reimport.changed === true) boundMs = record.reimport.ms;
    }
    const reimports = records.map((r) => r.reimport.ms);
    return {
      engine: options.engine,
      runs: options.runs,
      customers: options.customers,
      seed: options.seed,
      durationMs,
      durationMeasured: options.durationMs === undefined,
      tables,
      startedAt,
      seconds: Math.round((Date.now() - started) / 100) / 10,
      records,
      tally: tallyRuns(records),
      reimportMs: { median: Math.round(median(reimports)), max: Math.max(0, ...reimports) },
    };
  } finally {
    const store = await ws.storeEngine().catch(() => null);
    if (store?.kind === 'clickhouse' && options.keepDatabases !== true) await dropWorkspaceDatabases(store).catch(() => undefined);
  }
}

/** Every database the loop's workspace made on the cluster: each version's, and the base ones the admin connections create. */
async function dropWorkspaceDatabases(store: Extract<StoreEngineConfig, { kind: 'clickhouse' }>): Promise<void> {
  await dropClickHouseVersions(store);
  for (const url of store.connection.shards ?? [store.connection.url]) {
    const shard = await ClickHouseEngine.open({ url, user: store.connection.user ?? 'default', password: store.connection.password ?? '', database: 'default' });
    try {
      for (const db of [`${store.database}_local`, store.database]) await shard.exec(`DROP DATABASE IF EXISTS ${shard.dialect.quoteIdent(db)}`);
    } finally {
      await shard.close();
    }
  }
}
