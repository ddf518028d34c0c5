import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UserError } from '../errors.js';
import type { ImportLedger } from '../model/ledger.js';
import { processAlive } from './lock.js';
import { versionLedgerFile, versionStoreFile, type WorkspacePaths } from './paths.js';

export interface CurrentPointer {
  version: number;
  switchedAt: string;
}

/** The current version, or null before the first import. */
export async function readCurrent(paths: WorkspacePaths): Promise<CurrentPointer | null> {
  try {
    const parsed = JSON.parse(await readFile(paths.currentPointer, 'utf8')) as Partial<CurrentPointer>;
    if (typeof parsed.version !== 'number') return null;
    return { version: parsed.version, switchedAt: String(parsed.switchedAt ?? '') };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/**
 * Make a version current. The pointer is written to a temporary file and
 * renamed over the old one: rename is atomic, so a reader sees the old or the
 * new pointer, never half of one, and a crash before the rename changes nothing.
 */
export async function switchCurrent(paths: WorkspacePaths, version: number): Promise<void> {
  if (!(await versionComplete(paths, version))) {
    throw new UserError('version_missing', `Version ${version} does not exist in this workspace.`, { hint: 'Run `cxray versions` to list them.' });
  }
  await removeDeadPointerTemps(paths);
  const tmp = `${paths.currentPointer}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify({ version, switchedAt: new Date().toISOString() }));
  await rename(tmp, paths.currentPointer);
}

/**
 * Temporary pointers (current.json.PID.tmp) of processes killed between
 * writing one and renaming it: nothing else would ever remove them. A live
 * process's is left alone (it is about to rename it).
 */
async function removeDeadPointerTemps(paths: WorkspacePaths): Promise<void> {
  const prefix = `${basename(paths.currentPointer)}.`;
  const names = await readdir(dirname(paths.currentPointer)).catch(() => [] as string[]);
  for (const name of names) {
    const pid = name.startsWith(prefix) && name.endsWith('.tmp') ? Number(name.slice(prefix.length, -'.tmp'.length)) : NaN;
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && !processAlive(pid)) await rm(join(dirname(paths.currentPointer), name), { force: true });
  }
}

/** Every complete version (store file and ledger both present), oldest first. */
export async function listVersions(paths: WorkspacePaths): Promise<ImportLedger[]> {
  let names: string[];
  try {
    names = await readdir(paths.store);
  } catch {
    return [];
  }
  const versions = names
    .map((n) => /^v(\d{6})\.ledger\.json$/.exec(n)?.[1])
    .filter((v): v is string => v !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
  const ledgers: ImportLedger[] = [];
  for (const v of versions) {
    const ledger = await readVersionLedger(paths, v);
    if (ledger !== null && (ledger.store?.engine === 'clickhouse' || existsSync(versionStoreFile(paths, v)))) ledgers.push(ledger);
  }
  return ledgers;
}

/**
 * A version's ledger, or null when it has none or only part of one. An
 * import writes the ledger in place, and a kill inside that write leaves
 * the file empty (or cut short): that version never became current (the
 * pointer moves only to a version whose ledger reads, and the erase
 * rewrites ledgers through a renamed temporary), so it is an incomplete
 * version like one with no ledger, not a reason for every listing to fail.
 */
async function readVersionLedger(paths: WorkspacePaths, version: number): Promise<ImportLedger | null> {
  let text: string;
  try {
    text = await readFile(versionLedgerFile(paths, version), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as ImportLedger | null;
    return typeof parsed === 'object' && parsed !== null && parsed.version === version ? parsed : null;
  } catch (error) {
    if (error instanceof SyntaxError) return null;
    throw error;
  }
}

/**
 * A version is complete once its ledger is written (the last step of an
 * import) and, in the embedded store, its file is in place. A ClickHouse
 * version's databases are checked when it is opened.
 */
async function versionComplete(paths: WorkspacePaths, version: number): Promise<boolean> {
  const ledger = await readVersionLedger(paths, version);
  if (ledger === null) return false;
  return ledger.store?.engine === 'clickhouse' || existsSync(versionStoreFile(paths, version));
}

export async function nextVersionNumber(paths: WorkspacePaths): Promise<number> {
  let names: string[] = [];
  try {
    names = await readdir(paths.store);
  } catch {
    return 1;
  }
  const used = names.map((n) => /^v(\d{6})\./.exec(n)?.[1]).filter((v): v is string => v !== undefined).map(Number);
  return used.length === 0 ? 1 : Math.max(...used) + 1;
}
