// Test support (not built): canonical tables as ingest would leave them, filled from literal rows.
import type { CanonicalType, Engine, RowValue } from '../engine/types.js';
import { CANONICAL_TABLES, PROVENANCE_COLUMNS, type CanonicalTableName } from '../model/tables.js';

export type FixtureRow = Record<string, RowValue>;

/** Creates a canonical table (all its columns, provenance, and `extra` attribute columns). */
export async function createCanonicalTable(
  engine: Engine,
  table: CanonicalTableName,
  extra: readonly { name: string; type: CanonicalType }[] = [],
): Promise<void> {
  const columns = [...CANONICAL_TABLES[table], ...PROVENANCE_COLUMNS, ...extra].map((c) => ({ name: c.name, type: c.type, nullable: true }));
  await engine.exec(engine.dialect.createTable(table, columns));
}

/** Inserts rows naming only some columns; provenance is filled in. */
export async function insertCanonicalRows(engine: Engine, table: CanonicalTableName, rows: readonly FixtureRow[]): Promise<void> {
  const names = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const columns = [...names, '_source', '_file', '_line'];
  await engine.insertRows(
    table,
    columns,
    rows.map((row, i) => [...names.map((n) => row[n] ?? null), 'fixture', `${table}.csv`, BigInt(i + 2)]),
  );
}

export async function canonicalTable(
  engine: Engine,
  table: CanonicalTableName,
  rows: readonly FixtureRow[],
  extra: readonly { name: string; type: CanonicalType }[] = [],
): Promise<void> {
  await createCanonicalTable(engine, table, extra);
  if (rows.length > 0) await insertCanonicalRows(engine, table, rows);
}
