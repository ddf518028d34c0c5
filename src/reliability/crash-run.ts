import type { ImportLedger } from '../model/ledger.js';
import type { Rng } from '../simulate/random.js';
import { readCurrent } from '../workspace/versions.js';
import type { Workspace } from '../workspace/workspace.js';
import { parseJsonOutput, runCli, type CliOutcome } from './cli-process.js';
import { mutateExports, type Mutation } from './crash-workspace.js';
import { listStoreFiles, type StoreFiles } from './store-files.js';
import { checkCurrentVersion, ledgerFiles } from './version-check.js';

/**
 * Where a killed import was when it died, read from what it left: the
 * latest step whose trace is on disk (or on the cluster).
 * - startup: nothing written yet (node starting, config read; no lock);
 * - locked: the import lock is held, nothing staged (source files hashed);
 * - staging: a staging file exists (files read, identity resolved, tables and facts built);
 * - shipping: ClickHouse: the new version's databases exist without a ledger;
 * - completing: the new version's ledger is written but the version is not complete (DuckDB: file not yet renamed; or the ledger is empty);
 * - complete: the new version is complete, the pointer not yet switched;
 * - switched: the pointer names the new version (quarantine files and lock release may be undone);
 * - finished: the import ended on its own before the kill.
 */
export type DeathPhase = 'startup' | 'locked' | 'staging' | 'shipping' | 'completing' | 'complete' | 'switched' | 'finished';

export const DEATH_PHASES: readonly DeathPhase[] = ['startup', 'locked', 'staging', 'shipping', 'completing', 'complete', 'switched', 'finished'];

/** The store's state in a line: lock, staging, leftovers. */
export interface StoreTrace {
  lock: 'none' | 'stale' | 'live';
  staging: number;
  pointerTemps: number;
  quarantineTemps: number;
  orphanLedgers: number[];
  complete: number[];
  /** ClickHouse: versions with databases on the cluster. */
  remote: number[] | null;
}

export interface CrashRunRecord {
  run: number;
  mutation: Mutation;
  /** The kill's delay after the spawn: fraction x bound. */
  delayMs: number;
  /** The seeded draw in [0, 1) the delay was made from. */
  fraction: number;
  /** The wall time of an uninterrupted import of this workspace (the last one measured): the delays' upper bound. */
  boundMs: number;
  /** The killed import: killed by the signal, or ended on its own first (exit code). */
  ended: 'killed' | 'finished' | 'failed';
  exitCode: number | null;
  died: DeathPhase;
  /** Current version before the killed import, and after it. */
  previous: number;
  current: number | null;
  /** Which version the store opened on after the kill. */
  landed: 'previous' | 'new' | 'other' | 'none';
  afterKill: StoreTrace;
  /** The plain import after the kill, run alone and timed: an uninterrupted import when it wrote a version (changed). */
  reimport: { exitCode: number | null; changed: boolean | null; version: number | null; ms: number };
  afterReimport: StoreTrace;
  /** Leftovers the re-import did not remove and that were not there before this run (pointer and quarantine temporaries, orphan ledgers). */
  newResidue: string[];
  /** Broken promises: a half version, another version, a failed re-import, a stale lock that blocks, staging left after the re-import. */
  problems: string[];
  outcome: 'ok' | 'residue' | 'fail';
}

export function traceOf(files: StoreFiles): StoreTrace {
  return {
    lock: files.lock === null ? 'none' : files.lock.alive ? 'live' : 'stale',
    staging: files.staging.length,
    pointerTemps: files.pointerTemps.length,
    quarantineTemps: files.quarantineTemps.length,
    orphanLedgers: files.orphanLedgers,
    complete: files.complete,
    remote: files.remote,
  };
}

/** Names of the leftovers that no import removes (for residue accounting across runs). */
export function residueNames(files: StoreFiles): string[] {
  return [...files.pointerTemps.map((n) => `store/${n}`), ...files.quarantineTemps.map((n) => `quarantine/${n}`), ...files.orphanLedgers.map((v) => `orphan ledger v${v}`)];
}

function deathPhase(outcome: CliOutcome, previous: number, current: number | null, before: StoreFiles, after: StoreFiles): DeathPhase {
  if (outcome.signal === null) return 'finished';
  if (current !== null && current !== previous) return 'switched';
  const knownBefore = new Set(before.complete);
  if (after.complete.some((v) => v > previous && !knownBefore.has(v))) return 'complete';
  if (after.orphanLedgers.some((v) => !before.orphanLedgers.includes(v))) return 'completing';
  if (after.remote !== null && after.remote.some((v) => !after.complete.includes(v))) return 'shipping';
  if (after.staging.length > 0) return 'staging';
  if (after.lock !== null) return 'locked';
  return 'startup';
}

export interface CrashRunOptions {
  ws: Workspace;
  run: number;
  rng: Rng;
  fraction: number;
  boundMs: number;
  /** Residue already present before this run (not this run's). */
  residueBefore: ReadonlySet<string>;
}

interface ImportJson {
  changed: boolean;
  version: number | null;
  ledger: ImportLedger;
}

/**
 * One round: change the exports a little, start `cxray import` and SIGKILL
 * it after the delay, check the store, re-import, ask a dry run what an
 * uninterrupted import of the changed files yields, check again.
 */
export async function crashRun(options: CrashRunOptions): Promise<CrashRunRecord> {
  const { ws } = options;
  const dir = ws.paths.root;
  const problems: string[] = [];
  const previous = (await readCurrent(ws.paths))?.version;
  if (previous === undefined) throw new Error(`crash run ${options.run}: the workspace has no current version to start from`);
  const mutation = await mutateExports(dir, options.rng, options.run);
  const before = await listStoreFiles(ws);

  const delayMs = Math.round(options.fraction * options.boundMs);
  const killed = await runCli(['import', '--workspace', dir, '--json'], { killAfterMs: delayMs });
  const ended = killed.signal === 'SIGKILL' ? 'killed' : killed.code === 0 ? 'finished' : 'failed';
  if (ended === 'failed') problems.push(`the import to kill failed on its own (exit ${String(killed.code)}, signal ${String(killed.signal)}): ${killed.stdout.slice(-500)} ${killed.stderr.slice(-500)}`);

  const afterKillFiles = await listStoreFiles(ws);
  const check = await checkCurrentVersion(ws);
  problems.push(...check.problems.map((p) => `after the kill: ${p}`));
  const current = check.version;
  let landed: CrashRunRecord['landed'] = 'none';
  if (current === previous) landed = 'previous';
  else if (current !== null && current > previous && current === Math.max(...afterKillFiles.complete)) landed = 'new';
  else if (current !== null) landed = 'other';
  if (landed === 'other' || landed === 'none') problems.push(`after the kill: current is ${String(current)}, neither the previous version ${previous} nor the version the import wrote`);
  if (afterKillFiles.lock?.alive === true) problems.push(`after the kill: the import lock names a live process (${String(afterKillFiles.lock.pid)})`);
  const died = deathPhase(killed, previous, current, before, afterKillFiles);

  // The re-import runs alone, so its wall time measures an uninterrupted import (the next run's bound);
  // then what an uninterrupted import of the changed files yields (`import --dry-run`: the same code, nothing written).
  const again = await runCli(['import', '--workspace', dir, '--json']);
  const dry = await runCli(['import', '--workspace', dir, '--dry-run', '--json']);
  if (dry.code !== 0) throw new Error(`crash run ${options.run}: import --dry-run failed (exit ${String(dry.code)}): ${dry.stdout.slice(-2000)} ${dry.stderr.slice(-2000)}`);
  const expected = parseJsonOutput<ImportJson>(dry, 'import --dry-run').ledger;
  if (landed === 'new' && check.ledger !== null) {
    if (ledgerFiles(check.ledger) !== ledgerFiles(expected)) problems.push(`after the kill: the new current version ${String(current)} was not read from the changed files`);
    if (JSON.stringify(check.ledger.tables) !== JSON.stringify(expected.tables)) problems.push(`after the kill: the new current version's tables ${JSON.stringify(check.ledger.tables)} differ from an uninterrupted import's ${JSON.stringify(expected.tables)}`);
  }
  let reimported: ImportJson | null = null;
  if (again.code !== 0) problems.push(`the re-import failed (exit ${String(again.code)}): ${again.stdout.slice(-1000)} ${again.stderr.slice(-1000)}`);
  else reimported = parseJsonOutput<ImportJson>(again, 're-import');
  const afterReimportFiles = await listStoreFiles(ws);
  const final = await checkCurrentVersion(ws);
  problems.push(...final.problems.map((p) => `after the re-import: ${p}`));
  if (final.ledger !== null) {
    if (ledgerFiles(final.ledger) !== ledgerFiles(expected)) problems.push(`after the re-import: current version ${String(final.version)} was not read from the changed files`);
    if (JSON.stringify(final.ledger.tables) !== JSON.stringify(expected.tables)) problems.push(`after the re-import: tables ${JSON.stringify(final.ledger.tables)} differ from an uninterrupted import's ${JSON.stringify(expected.tables)}`);
  }
  if (reimported !== null && final.version !== reimported.version) problems.push(`after the re-import: it reported version ${String(reimported.version)}, current.json names ${String(final.version)}`);
  if (afterReimportFiles.staging.length > 0) problems.push(`after the re-import: staging files remain: ${afterReimportFiles.staging.join(', ')}`);
  if (afterReimportFiles.lock !== null) problems.push('after the re-import: the import lock file remains');
  if (afterReimportFiles.remote !== null && JSON.stringify(afterReimportFiles.remote) !== JSON.stringify(afterReimportFiles.complete)) {
    problems.push(`after the re-import: the cluster holds databases of versions ${afterReimportFiles.remote.join(', ')}, the complete versions are ${afterReimportFiles.complete.join(', ')}`);
  }
  const newResidue = residueNames(afterReimportFiles).filter((n) => !options.residueBefore.has(n));
  return {
    run: options.run,
    mutation,
    delayMs,
    fraction: options.fraction,
    boundMs: options.boundMs,
    ended,
    exitCode: killed.code,
    died,
    previous,
    current,
    landed,
    afterKill: traceOf(afterKillFiles),
    reimport: { exitCode: again.code, changed: reimported?.changed ?? null, version: reimported?.version ?? null, ms: Math.round(again.ms) },
    afterReimport: traceOf(afterReimportFiles),
    newResidue,
    problems,
    outcome: problems.length > 0 ? 'fail' : newResidue.length > 0 ? 'residue' : 'ok',
  };
}
