import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { CxrayError, UserError } from '../errors.js';
import type { ImportLedger } from '../model/ledger.js';
import { eraseClickHouseVersion } from './erase-clickhouse.js';
import { assertNoOtherHolder, rewriteDuckDbVersion } from './erase-duckdb.js';
import { removeLeftovers, removeReports, removeSnapshots, removeStoredResults } from './erase-files.js';
import { needleMatcher } from './erase-match.js';
import { checkIds, storedIds } from './erase-needles.js';
import { findCustomerNeedles, proveErased, sourceFiles } from './erase-proof.js';
import { eraseFromQuarantineFiles } from './erase-quarantine.js';
import type { EraseReport, VersionErasure } from './erase-report.js';
import { acquireLock } from './lock.js';
import { versionLedgerFile } from './paths.js';
import type { StoreEngineConfig } from './store-engine.js';
import type { Workspace } from './workspace.js';

export interface EraseProgress {
  step: string;
  done: number;
  total: number;
}

export interface EraseOptions {
  onProgress?: (progress: EraseProgress) => void;
  /** How long to wait for one version's ClickHouse mutations on every shard (default 30 minutes). */
  mutationTimeoutMs?: number;
  /**
   * Run with the workspace lock held, before anything changes: a server
   * closes the versions it holds open here (it must not keep reading the old
   * files), as POST /api/erase does.
   */
  beforeChange?: () => Promise<void>;
  /** Files the ids were read from: not searched by the proof (they are the request), listed as such. */
  idFiles?: readonly string[];
}

/** Customers were erased from everything erase cleans, but a file it does not own still holds them: yours to fix (exit 1). */
export class EraseLeftoversError extends UserError {
  constructor(readonly report: EraseReport) {
    super('erase_leftovers', `The customers were erased from the store, results, snapshots, quarantine and reports, but ${describeFindings(report)}.`, {
      hint: 'These files are not cxray\'s to change: remove the customers from them (or delete the files), then run the same `cxray erase` again to prove it.',
      ...(report.proof.findings[0]?.file === undefined ? {} : { file: report.proof.findings[0].file }),
    });
  }
}

/** The proof found a customer where erase should have removed it: a bug (exit 2). */
export class EraseIncompleteError extends CxrayError {
  constructor(readonly report: EraseReport) {
    super('erase_incomplete', `The erase did not remove everything: ${describeFindings(report)}.`, {
      hint: 'This is a bug in cxray: run the same `cxray erase` again (it is safe to repeat), and report it with the --json output.',
    });
  }
}

/** The report an erase error carries, or null. */
export function eraseReportOf(error: unknown): EraseReport | null {
  return error instanceof EraseLeftoversError || error instanceof EraseIncompleteError ? error.report : null;
}

function describeFindings(report: EraseReport): string {
  const places = report.proof.findings.map((f) =>
    f.place === 'table' ? `version ${f.version} ${f.table}.${f.column} (${f.rows} rows)` : f.place === 'bytes' ? `the bytes of ${f.file}` : `${f.file}${f.where === undefined ? '' : ` (${f.where})`}`,
  );
  const shown = [...new Set(places)];
  return `${shown.length === 1 ? 'one place still holds' : `${shown.length} places still hold`} them: ${shown.slice(0, 5).join('; ')}${shown.length > 5 ? '; ...' : ''}`;
}

/**
 * Versions whose rows were erased but whose stored Results, snapshots and
 * reports may not be deleted yet (an erase stopped in between): numbers
 * only, no customer. The next erase deletes those too.
 */
const pendingFile = (ws: Workspace): string => join(ws.paths.store, 'erase-pending.json');

async function readPending(ws: Workspace): Promise<number[]> {
  try {
    const parsed = JSON.parse(await readFile(pendingFile(ws), 'utf8')) as { versions?: unknown };
    return Array.isArray(parsed.versions) ? parsed.versions.filter((v): v is number => Number.isInteger(v)) : [];
  } catch {
    return [];
  }
}

async function writePending(ws: Workspace, versions: readonly number[]): Promise<void> {
  const tmp = `${pendingFile(ws)}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify({ versions: [...new Set(versions)].sort((a, b) => a - b) }));
  await rename(tmp, pendingFile(ws));
}

async function writeLedger(ws: Workspace, ledger: ImportLedger): Promise<void> {
  const file = versionLedgerFile(ws.paths, ledger.version);
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(ledger, null, 2));
  await rename(tmp, file);
}

/**
 * Erase customers from everything cxray keeps of them: every table of every
 * import version (each DuckDB file copied without them and renamed over the
 * old one, so no freed block keeps their rows; on ClickHouse, DELETE
 * mutations waited for on every shard), every stored Result and snapshot of
 * a version that held them (aggregates included them: the next analyze
 * recomputes), their quarantined records, the reports in the workspace made
 * from those versions, and leftovers of killed imports. Holds the import
 * lock throughout, so no import runs meanwhile. Ends with proveErased; when
 * anything is still found it throws EraseLeftoversError (a file of yours) or
 * EraseIncompleteError (a bug), both carrying the report.
 *
 * Source exports are not changed: an import of unchanged files writes no
 * new version, but the next import of changed files brings the customers
 * back unless they are removed from the exports too.
 *
 * @example
 * const report = await eraseCustomers(await openWorkspace('./acme'), ['C-1001', 'C-1002']);
 * console.log(report.versions.map((v) => v.rowsRemoved), report.proof.clean);
 */
export async function eraseCustomers(ws: Workspace, ids: readonly string[], options: EraseOptions = {}): Promise<EraseReport> {
  const started = Date.now();
  const wanted = checkIds(ids);
  await ws.config();
  const progress = (step: string, done: number, total: number): void => options.onProgress?.({ step, done, total });
  const lock = await acquireLock(ws.paths.importLock, 'an erase');
  try {
    const ledgers = await ws.versions();
    const { needles, withoutIdentityMap } = await findCustomerNeedles(ws, wanted);
    const matcher = needleMatcher(needles);
    const stored = storedIds(needles);
    const owner = new Map(needles.map((n) => [n.value.toLowerCase(), n.customer]));
    const storeConfig = await ws.storeEngine();
    if (ledgers.some((l) => l.store?.engine === 'clickhouse') && storeConfig.kind !== 'clickhouse') {
      throw new UserError('engine_mismatch', 'Some versions were imported into ClickHouse, but cxray.yaml now names the embedded store.', {
        hint: 'Put the engine.clickhouse block back so erase can reach those versions, then run it again.',
      });
    }
    const memoryLimit = storeConfig.kind === 'duckdb' ? storeConfig.memoryLimit : '2GB';
    await options.beforeChange?.();
    await assertNoOtherHolder(ws.paths, ledgers.filter((l) => l.store?.engine !== 'clickhouse').map((l) => l.version), memoryLimit);

    const versions: VersionErasure[] = [];
    const found = new Set<string>();
    const affected = await readPending(ws);
    for (const [i, ledger] of ledgers.entries()) {
      progress(`erasing from version ${ledger.version}`, i, ledgers.length);
      const done =
        ledger.store?.engine === 'clickhouse'
          ? await eraseClickHouseVersion(storeConfig as Extract<StoreEngineConfig, { kind: 'clickhouse' }>, ledger, ledger.store, {
              storedIds: stored,
              matcher,
              timeoutMs: options.mutationTimeoutMs ?? 30 * 60_000,
              onWait: (pending) => progress(`waiting for ${pending} ClickHouse mutation(s) of version ${ledger.version}`, i, ledgers.length),
            })
          : await rewriteDuckDbVersion(ws.paths, ledger, { storedIds: stored, identityValues: needles.filter((n) => n.as === 'identity key').map((n) => n.value), matcher, memoryLimit });
      for (const value of done.found) {
        const customer = owner.get(value.toLowerCase());
        if (customer !== undefined) found.add(customer);
      }
      await writeLedger(ws, done.ledger);
      versions.push(done.erasure);
      if ([done.erasure.rowsRemoved, done.erasure.referencesCleared, done.erasure.textRedacted].some((changed) => Object.keys(changed).length > 0)) {
        affected.push(ledger.version);
        await writePending(ws, affected);
      }
    }
    const cleaned = [...new Set(affected)].sort((a, b) => a - b);

    progress('removing stored results, snapshots and reports', ledgers.length, ledgers.length);
    const results = await removeStoredResults(ws.paths, cleaned);
    const snapshots = await removeSnapshots(ws.paths, cleaned);
    const quarantine = await eraseFromQuarantineFiles(ws.paths, matcher);
    const keep = new Set([...(await sourceFiles(ws, ledgers)), ...(options.idFiles ?? []).map((f) => resolve(f))]);
    const reports = await removeReports(ws.paths, cleaned, keep);
    const otherFiles = await removeLeftovers(ws.paths);
    await rm(pendingFile(ws), { force: true });

    const proof = await proveErased(ws, needles, { memoryLimit, ...(options.idFiles === undefined ? {} : { idFiles: options.idFiles }), onProgress: (step, done, total) => progress(`proof: ${step}`, done, total) });
    const report: EraseReport = {
      workspace: ws.paths.root,
      customers: wanted.map((id) => ({ id, found: found.has(id) })),
      versions,
      results,
      snapshots,
      quarantine,
      reports,
      otherFiles,
      proof,
      notes: eraseNotes({ wanted, found, affected: cleaned, versions, reports, withoutIdentityMap }),
      seconds: Math.round((Date.now() - started) / 100) / 10,
    };
    if (!proof.clean) {
      throw proof.findings.some((f) => f.owned) ? new EraseIncompleteError(report) : new EraseLeftoversError(report);
    }
    return report;
  } finally {
    await lock.release();
  }
}

/** What a person must know after an erase, in sentences. */
function eraseNotes(e: { wanted: string[]; found: Set<string>; affected: number[]; versions: VersionErasure[]; reports: string[]; withoutIdentityMap: number[] }): string[] {
  const notes: string[] = [];
  const missing = e.wanted.filter((id) => !e.found.has(id));
  if (missing.length > 0) notes.push(`No stored row held ${missing.join(', ')}: nothing to erase there, but every form of ${missing.length === 1 ? 'it' : 'them'} was still searched by the proof.`);
  if (e.affected.length > 0) {
    const list = e.affected.join(', ');
    notes.push(`Every stored Result and snapshot of version${e.affected.length === 1 ? '' : 's'} ${list} was deleted (their tables and aggregates included the customers): the next \`cxray analyze\` recomputes them and writes a fresh snapshot, so what changed is compared with an older snapshot if one is left, else with nothing.`);
    notes.push(
      `${e.reports.length === 0 ? 'No report in the workspace was made from them.' : `${e.reports.length} report file(s) made from them were deleted: write them again with \`cxray report\`.`} Reports written outside the workspace cannot be found: delete those yourself.`,
    );
  }
  notes.push('Your source exports still hold the customers: erase removes cxray\'s copies only. An import of unchanged files writes no new version (they stay erased); the next import of changed files brings them back unless you remove them from the exports too.');
  if (e.versions.some((v) => v.engine === 'duckdb')) {
    notes.push(
      'Each store file was copied without the customers and renamed over the old one (another process holding a version open makes the erase refuse; a reader in this same process that opened one before keeps the old copy until it closes it). Like any deleted file, the old copy\'s blocks stay on the disk until reused.',
    );
  }
  if (e.withoutIdentityMap.length > 0) {
    notes.push(`Version${e.withoutIdentityMap.length === 1 ? '' : 's'} ${e.withoutIdentityMap.join(', ')} keep${e.withoutIdentityMap.length === 1 ? 's' : ''} no identity map in the store (ClickHouse), so a quarantined record that names a customer only by another key (a hashed e-mail) cannot be told apart there and stays; records naming the id were removed.`);
  }
  const parts = e.versions.reduce((sum, v) => sum + (v.inactiveParts ?? 0), 0);
  if (parts > 0) notes.push(`ClickHouse keeps ${parts} replaced part(s) on disk, inactive, until old_parts_lifetime (480 s by default) has passed; then the servers delete them.`);
  return notes;
}
