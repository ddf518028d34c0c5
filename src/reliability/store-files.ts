import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { lockOwnerAlive, readLockOwner } from '../workspace/lock.js';
import { clickhouseVersionsPresent } from '../workspace/store-engine.js';
import { listVersions } from '../workspace/versions.js';
import type { Workspace } from '../workspace/workspace.js';

/** What a workspace's folders (and, on ClickHouse, the cluster) hold besides its complete versions. */
export interface StoreFiles {
  /** store/import.lock: absent, or its owner and whether that process lives. */
  lock: { pid: number | null; alive: boolean } | null;
  /** Staging files of imports (store/.staging-vNNNNNN-PID.duckdb and its .wal). */
  staging: string[];
  /** Temporary pointers (store/current.json.PID.tmp) never renamed over current.json. */
  pointerTemps: string[];
  /** Quarantine CSVs of a version (quarantine/SOURCE.csv.vNNNNNN.tmp) never renamed into place. */
  quarantineTemps: string[];
  /** Version numbers with a ledger file that is not a complete version (no store file, or a ledger that does not parse). */
  orphanLedgers: number[];
  /** Complete versions (ledger and store), oldest first. */
  complete: number[];
  /** ClickHouse: version numbers with databases on the cluster; null on the embedded store. */
  remote: number[] | null;
}

async function names(dir: string): Promise<string[]> {
  return (await readdir(dir).catch(() => [] as string[])).sort();
}

/** A ledger file that parses as JSON (a kill inside its write leaves it empty). */
async function parses(path: string): Promise<boolean> {
  try {
    JSON.parse(await readFile(path, 'utf8'));
    return true;
  } catch {
    return false;
  }
}

/** Reads the store folder, the quarantine folder and the cluster's version databases. Nothing is changed. */
export async function listStoreFiles(ws: Workspace): Promise<StoreFiles> {
  const store = await names(ws.paths.store);
  const owner = existsSync(ws.paths.importLock) ? await readLockOwner(ws.paths.importLock) : undefined;
  const lock = owner === undefined ? null : { pid: owner?.pid ?? null, alive: owner !== null && lockOwnerAlive(owner) };
  let complete: number[];
  try {
    complete = (await listVersions(ws.paths)).map((l) => l.version);
  } catch {
    // An unreadable ledger makes the listing fail: count none complete here; the version check reports the failure.
    complete = [];
  }
  const orphanLedgers: number[] = [];
  for (const name of store) {
    const m = /^v(\d{6})\.ledger\.json$/.exec(name);
    if (m === null) continue;
    const version = Number(m[1]);
    if (!complete.includes(version) || !(await parses(join(ws.paths.store, name)))) orphanLedgers.push(version);
  }
  const config = await ws.storeEngine();
  return {
    lock,
    staging: store.filter((n) => n.startsWith('.staging-')),
    pointerTemps: store.filter((n) => /^current\.json\..*\.tmp$/.test(n)),
    quarantineTemps: (await names(ws.paths.quarantine)).filter((n) => n.endsWith('.tmp')),
    orphanLedgers,
    complete,
    remote: config.kind === 'clickhouse' ? await clickhouseVersionsPresent(config) : null,
  };
}
