import { existsSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { resolveSourceFiles } from '../ingest/import.js';
import type { ImportLedger } from '../model/ledger.js';
import { readClickHouseIdentityNeedles } from './erase-clickhouse.js';
import { readIdentityNeedles } from './erase-duckdb.js';
import { walkFiles } from './erase-files.js';
import { isDistinctive, needleMatcher, type Needle } from './erase-match.js';
import { checkIds, idNeedles, readPiiSalt, storedIds } from './erase-needles.js';
import { isTextFile, ownedByErase, relativeTo, searchBytes, searchTextFile } from './erase-proof-files.js';
import { scanClickHouseVersion, scanDuckDbVersion } from './erase-proof-store.js';
import type { Proof, ProofFinding } from './erase-report.js';
import { versionStoreFile } from './paths.js';
import type { StoreEngineConfig } from './store-engine.js';
import type { Workspace } from './workspace.js';

export interface ProofOptions {
  /** DuckDB memory limit of each scan. */
  memoryLimit?: string;
  /** Progress: what is being searched. */
  onProgress?: (step: string, done: number, total: number) => void;
  /** Files the ids were read from (`--from-file`): the request itself, listed as not searched. */
  idFiles?: readonly string[];
}

/** The customers' forms, and the versions whose identity map could not be read (see customerNeedles). */
export interface CustomerNeedles {
  needles: Needle[];
  /** Versions without an identity map in the store (ClickHouse): records naming a customer only by another key cannot be attributed there. */
  withoutIdentityMap: number[];
}

/**
 * The forms under which the customers can be stored: each id, its salted
 * hash (a key column under `pii: hash`), and the identity keys (hashed
 * e-mails ...) the identity map of every version gives them. Read before an
 * erase: the erase removes the identity map's rows.
 */
export async function findCustomerNeedles(ws: Workspace, ids: readonly string[], options: { memoryLimit?: string } = {}): Promise<CustomerNeedles> {
  const { config } = await ws.config();
  const salt = await readPiiSalt(ws.paths, config.pii.salt_env);
  const needles = idNeedles(checkIds(ids), salt);
  const stored = storedIds(needles);
  const seen = new Set(needles.map((n) => n.value));
  const withoutIdentityMap: number[] = [];
  for (const ledger of await ws.versions()) {
    let found: Needle[] | null;
    if (ledger.store?.engine === 'clickhouse') {
      const store = await ws.storeEngine();
      found = store.kind === 'clickhouse' ? await readClickHouseIdentityNeedles(store, ledger.store, stored, needles) : null;
    } else {
      found = existsSync(versionStoreFile(ws.paths, ledger.version)) ? await readIdentityNeedles(ws.paths, ledger.version, stored, needles, options.memoryLimit ?? '1GB') : [];
    }
    if (found === null) withoutIdentityMap.push(ledger.version);
    for (const n of found ?? []) {
      if (seen.has(n.value)) continue;
      seen.add(n.value);
      needles.push(n);
    }
  }
  return { needles, withoutIdentityMap };
}

/** The forms under which the customers can be stored (findCustomerNeedles), to give proveErased. */
export async function customerNeedles(ws: Workspace, ids: readonly string[], options: { memoryLimit?: string } = {}): Promise<Needle[]> {
  return (await findCustomerNeedles(ws, ids, options)).needles;
}

/** The source exports cxray.yaml names (and every version's ledger lists): the user's files, never changed or searched. */
export async function sourceFiles(ws: Workspace, ledgers: readonly ImportLedger[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (const l of ledgers) for (const f of l.files) out.add(resolve(ws.paths.root, f.file));
  try {
    const { config } = await ws.config();
    for (const [name, source] of Object.entries(config.sources)) {
      for (const f of await resolveSourceFiles(ws.paths.root, source.files, name).catch(() => [] as string[])) out.add(f);
    }
  } catch {
    // Without a readable cxray.yaml, the ledgers still name the files imported.
  }
  return out;
}

/**
 * The proof that customers are gone: every text column of every table of
 * every import version (embedded or ClickHouse), the raw bytes of every
 * store file, and every text file of the workspace (results, snapshots,
 * quarantine lists, reports, ledgers, changes.json, cxray.yaml, anything
 * else there) searched for every form of the customers (customerNeedles).
 * Source exports are not searched (they are yours: erase does not change
 * them); binary files other than store files cannot be searched and are
 * listed. `clean` is true when nothing was found.
 *
 * @example
 * const proof = await proveErased(ws, await customerNeedles(ws, ['C-1001']));
 * if (!proof.clean) console.log(proof.findings);
 */
export async function proveErased(ws: Workspace, needles: readonly Needle[], options: ProofOptions = {}): Promise<Proof> {
  const matcher = needleMatcher(needles);
  const ledgers = await ws.versions();
  const findings: ProofFinding[] = [];
  let tables = 0;
  let columns = 0;
  let store: Extract<StoreEngineConfig, { kind: 'clickhouse' }> | null = null;
  for (const [i, ledger] of ledgers.entries()) {
    options.onProgress?.(`searching version ${ledger.version}`, i, ledgers.length);
    let scan;
    if (ledger.store?.engine === 'clickhouse') {
      if (store === null) {
        const config = await ws.storeEngine();
        if (config.kind !== 'clickhouse') throw new Error('unreachable: a ClickHouse version with an embedded store config');
        store = config;
      }
      scan = await scanClickHouseVersion(store, ledger.store, ledger.version, matcher);
    } else {
      scan = await scanDuckDbVersion(versionStoreFile(ws.paths, ledger.version), ledger.version, matcher, options.memoryLimit ?? '1GB');
    }
    findings.push(...scan.findings);
    tables += scan.tables;
    columns += scan.columns;
  }
  const sources = await sourceFiles(ws, ledgers);
  const idFiles = new Set((options.idFiles ?? []).map((f) => resolve(f)));
  const notSearched: Proof['notSearched'] = [];
  let files = 0;
  let storeFiles = 0;
  const all = await walkFiles(ws.paths.root);
  for (const [i, file] of all.entries()) {
    options.onProgress?.('searching files', i, all.length);
    const rel = relativeTo(ws.paths, file);
    const owned = ownedByErase(ws.paths, file);
    if (sources.has(file)) {
      notSearched.push({ file: rel, reason: 'a source export: yours, erase does not change it (remove the customers there too, or the next import of changed files brings them back)' });
      continue;
    }
    if (idFiles.has(file)) {
      notSearched.push({ file: rel, reason: 'the list of ids given to erase: the request itself' });
      continue;
    }
    if (file === join(ws.paths.store, 'pii-salt')) continue;
    const inStore = file.startsWith(ws.paths.store) && /\.duckdb(\.wal)?$/.test(file);
    if (inStore) {
      storeFiles += 1;
      for (const h of await searchBytes(file, needles)) findings.push({ place: 'bytes', ...h, file: rel, owned: true });
      continue;
    }
    if (!(await isTextFile(file))) {
      notSearched.push({ file: rel, reason: `a binary file (${extname(file) || 'no extension'}): it cannot be searched as text` });
      continue;
    }
    files += 1;
    for (const h of await searchTextFile(file, matcher)) findings.push({ place: 'file', ...h, file: rel, owned });
  }
  return {
    clean: findings.length === 0,
    searched: { versions: ledgers.length, tables, columns, files, storeFiles },
    findings,
    notSearched,
    shortIds: [...new Set(needles.filter((n) => !isDistinctive(n.value)).map((n) => n.value))],
  };
}
