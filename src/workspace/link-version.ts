import { existsSync } from 'node:fs';
import type { Engine } from '../engine/types.js';
import type { ImportLedger } from '../model/ledger.js';
import { versionName, versionStoreFile, type WorkspacePaths } from './paths.js';

/**
 * Another import version's tables, named for statements on the current
 * version's connection: so one statement can pair a customer's row in this
 * version with the same customer's row in an earlier one.
 */
export interface LinkedVersion {
  version: number;
  /** The other version's table, qualified; on a cluster its Distributed table (join it with `dialect.globalJoin`). */
  table(name: string): string;
  /** The column names of the other version's table (empty when it has no such table). */
  columns(table: string): Promise<string[]>;
  /** Undo the link (detach the other file); the current connection stays open. */
  release(): Promise<void>;
}

/**
 * Link `ledger`'s version to `engine`, the open connection of the current
 * version, or null when that version's store is gone or lives elsewhere
 * (another store kind than the current one). Embedded: the other version's
 * file is attached read-only (versions are never written again once
 * complete). ClickHouse: every version's databases are on the same cluster,
 * so its tables are named by database.
 */
export async function linkVersion(engine: Engine, paths: WorkspacePaths, ledger: ImportLedger, current: ImportLedger): Promise<LinkedVersion | null> {
  const d = engine.dialect;
  const here = current.store?.engine ?? 'duckdb';
  const there = ledger.store?.engine ?? 'duckdb';
  if (here !== there) return null;
  const names = async (sql: string, params: Record<string, string>): Promise<string[]> => (await engine.query<{ name: string }>(sql, params)).map((r) => r.name);
  if (ledger.version === current.version) {
    return { version: ledger.version, table: (name) => d.quoteIdent(name), columns: async (table) => (await engine.describe(table)).map((c) => c.name), release: async () => undefined };
  }
  if (ledger.store?.engine === 'clickhouse') {
    const database = ledger.store.database;
    return {
      version: ledger.version,
      table: (name) => d.qualify(database, name),
      columns: (table) => names('SELECT name FROM system.columns WHERE database = $database AND table = $table', { database, table }),
      release: async () => undefined,
    };
  }
  const file = versionStoreFile(paths, ledger.version);
  if (!existsSync(file)) return null;
  const alias = `linked_${versionName(ledger.version)}`;
  await engine.exec(`ATTACH ${d.literal(file)} AS ${d.quoteIdent(alias)} (READ_ONLY)`);
  return {
    version: ledger.version,
    table: (name) => d.qualify(alias, name),
    columns: (table) => names('SELECT column_name AS name FROM duckdb_columns() WHERE database_name = $database AND table_name = $table', { database: alias, table }),
    release: () => engine.exec(`DETACH ${d.quoteIdent(alias)}`),
  };
}
