import { existsSync } from 'node:fs';
import { ClickHouseEngine } from '../engine/clickhouse/engine.js';
import { DuckDbEngine } from '../engine/duckdb/engine.js';
import type { Engine } from '../engine/types.js';
import type { ImportLedger } from '../model/ledger.js';
import { versionStoreFile } from '../workspace/paths.js';
import { openRemoteVersion, type StoreEngineConfig } from '../workspace/store-engine.js';
import { listVersions, readCurrent } from '../workspace/versions.js';
import type { Workspace } from '../workspace/workspace.js';

/** What the current version of a workspace is, and whether it is whole. */
export interface VersionCheck {
  /** The version current.json names; null when it names none (or is missing). */
  version: number | null;
  ledger: ImportLedger | null;
  /** Rows counted in the store, per table of the ledger (plus customer_facts and _quarantine). */
  counts: Record<string, number>;
  /** Everything found wrong; empty when the version opens and holds what its ledger says. */
  problems: string[];
}

const count = async (engine: Engine, table: string): Promise<number> => Number((await engine.query<{ n: bigint }>(`SELECT count(*) AS n FROM ${engine.dialect.quoteIdent(table)}`))[0]?.n ?? -1);

/**
 * Counts every table the ledger names, and the two every version has
 * besides: customer_facts (one row per customer) and _quarantine (one row
 * per quarantined record). A table that is missing is a problem, not an error.
 */
async function countTables(engine: Engine, ledger: ImportLedger, problems: string[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  const expected: Record<string, number> = { ...ledger.tables, customer_facts: ledger.tables['customers'] ?? 0, _quarantine: ledger.totals.quarantined };
  for (const [table, rows] of Object.entries(expected)) {
    try {
      counts[table] = await count(engine, table);
    } catch (error) {
      problems.push(`version ${ledger.version}: ${table} does not answer (${(error as Error).message.split('\n')[0] ?? ''})`);
      continue;
    }
    if (counts[table] !== rows) problems.push(`version ${ledger.version}: ${table} holds ${counts[table]} rows, its ledger says ${rows}`);
  }
  return counts;
}

/** The embedded version file, opened read-only as a reader would; its own copy of the ledger must be this version's. */
async function checkDuckDb(ws: Workspace, ledger: ImportLedger, problems: string[]): Promise<Record<string, number>> {
  const file = versionStoreFile(ws.paths, ledger.version);
  if (!existsSync(file)) {
    problems.push(`version ${ledger.version}: its store file ${file} is missing`);
    return {};
  }
  const engine = await DuckDbEngine.open(file, { readOnly: true, memoryLimit: '1GB', threads: 1 });
  try {
    const counts = await countTables(engine, ledger, problems);
    const inside = await engine.query<{ ledger: string }>('SELECT ledger FROM _ledger');
    const own = inside.length === 1 ? (JSON.parse(inside[0]?.ledger ?? '{}') as ImportLedger) : null;
    if (own?.version !== ledger.version) problems.push(`version ${ledger.version}: the file's own ledger names version ${String(own?.version)}`);
    else if (JSON.stringify(own.tables) !== JSON.stringify(ledger.tables)) problems.push(`version ${ledger.version}: the file's own ledger counts differ from the ledger file's`);
    return counts;
  } finally {
    await engine.close();
  }
}

/**
 * A version's databases on the cluster, checked on every shard before the
 * version is opened (opening creates missing databases, which would hide a
 * dropped version behind empty ones), then counted through the Distributed tables.
 */
async function checkClickHouse(store: StoreEngineConfig, ledger: ImportLedger, problems: string[]): Promise<Record<string, number>> {
  const location = ledger.store;
  if (store.kind !== 'clickhouse' || location?.engine !== 'clickhouse') {
    problems.push(`version ${ledger.version}: stored on ${location?.engine ?? 'duckdb'}, but cxray.yaml names ${store.kind}`);
    return {};
  }
  const wanted = [location.database, location.localDatabase].filter((d): d is string => d !== null);
  for (const url of store.connection.shards ?? [store.connection.url]) {
    const shard = await ClickHouseEngine.open({ url, user: store.connection.user ?? 'default', password: store.connection.password ?? '', database: 'default' });
    try {
      const present = new Set((await shard.query<{ name: string }>('SELECT name FROM system.databases')).map((r) => r.name));
      for (const db of wanted) if (!present.has(db)) problems.push(`version ${ledger.version}: the database ${db} is missing on ${url}`);
      const local = location.localDatabase ?? location.database;
      const tables = new Set((await shard.query<{ name: string }>('SELECT name FROM system.tables WHERE database = $db', { db: local })).map((r) => r.name));
      for (const table of Object.keys(ledger.tables)) if (!tables.has(table)) problems.push(`version ${ledger.version}: ${local}.${table} is missing on ${url}`);
    } finally {
      await shard.close();
    }
  }
  if (problems.length > 0) return {};
  const engine = await openRemoteVersion(store, location);
  try {
    return await countTables(engine, ledger, problems);
  } finally {
    await engine.close();
  }
}

/** Opens the current version as a reader would and checks it holds exactly what its ledger says. */
export async function checkCurrentVersion(ws: Workspace): Promise<VersionCheck> {
  const problems: string[] = [];
  let pointer;
  try {
    pointer = await readCurrent(ws.paths);
  } catch (error) {
    return { version: null, ledger: null, counts: {}, problems: [`current.json does not read: ${(error as Error).message}`] };
  }
  if (pointer === null) return { version: null, ledger: null, counts: {}, problems: ['current.json names no version'] };
  let ledger: ImportLedger | undefined;
  try {
    ledger = (await listVersions(ws.paths)).find((l) => l.version === pointer.version);
  } catch (error) {
    return { version: pointer.version, ledger: null, counts: {}, problems: [`the versions do not list: ${(error as Error).message}`] };
  }
  if (ledger === undefined) return { version: pointer.version, ledger: null, counts: {}, problems: [`current.json names version ${pointer.version}, which is not a complete version`] };
  const store = await ws.storeEngine();
  const counts = store.kind === 'clickhouse' ? await checkClickHouse(store, ledger, problems) : await checkDuckDb(ws, ledger, problems);
  return { version: pointer.version, ledger, counts, problems };
}

/** The source files a ledger was read from, with their content hashes, in a stable order. */
export function ledgerFiles(ledger: Pick<ImportLedger, 'files'>): string {
  return [...new Set(ledger.files.map((f) => `${f.source}:${f.file}:${f.sha256}`))].sort().join('\n');
}
