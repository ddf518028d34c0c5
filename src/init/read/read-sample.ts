import type { Engine } from '../../engine/types.js';
import type { Encoding, ValueCount } from '../types.js';

export interface CsvReadOptions {
  path: string;
  delimiter: string;
  encoding: Encoding;
  /** Header rows to skip. */
  skip: number;
  columnCount: number;
}

/** Generated column names: header text never reaches SQL. */
export const columnAlias = (index: number): string => `c${index}`;

/**
 * `read_csv(...)` with every option explicit (no sniffing, every value text),
 * lenient on ragged rows: a footer line is padded with NULLs, a malformed
 * row is skipped. Good enough to guess a mapping; the importer reads strictly
 * and accounts for every row.
 */
export function readCsvSql(engine: Engine, o: CsvReadOptions): string {
  const lit = (v: string | number | boolean): string => engine.dialect.literal(v);
  const columns = Array.from({ length: o.columnCount }, (_, i) => `${lit(columnAlias(i))}: 'VARCHAR'`).join(', ');
  return (
    `read_csv(${lit(o.path)}, header = false, skip = ${lit(o.skip)}, delim = ${lit(o.delimiter)}, quote = '"', escape = '"', ` +
    `encoding = ${lit(o.encoding)}, auto_detect = false, all_varchar = true, null_padding = true, ignore_errors = true, ` +
    `strict_mode = false, columns = {${columns}})`
  );
}

/** The first `limit` data rows, as text (NULL for empty cells). */
export async function readSampleRows(engine: Engine, o: CsvReadOptions, limit = 500): Promise<(string | null)[][]> {
  const rows = await engine.query(`SELECT * FROM ${readCsvSql(engine, o)} LIMIT ${engine.dialect.literal(limit)}`);
  return rows.map((row) => Array.from({ length: o.columnCount }, (_, i) => {
    const v = row[columnAlias(i)];
    return v === null || v === undefined ? null : String(v);
  }));
}

/**
 * Every distinct value (trimmed) with its count, over the whole file, for a
 * few columns at once (one scan via UNPIVOT). Capped per column so a column
 * that only looked low-cardinality in the sample cannot flood memory.
 */
export async function readValueCounts(engine: Engine, o: CsvReadOptions, columnIndexes: readonly number[], cap = 60): Promise<Map<number, ValueCount[]>> {
  const out = new Map<number, ValueCount[]>();
  if (columnIndexes.length === 0) return out;
  const q = (name: string): string => engine.dialect.quoteIdent(name);
  const selected = columnIndexes.map((i) => `trim(${q(columnAlias(i))}) AS ${q(columnAlias(i))}`).join(', ');
  const on = columnIndexes.map((i) => q(columnAlias(i))).join(', ');
  const sql =
    `WITH src AS (SELECT ${selected} FROM ${readCsvSql(engine, o)}), ` +
    `counted AS (SELECT name, value, count(*) AS n FROM (UNPIVOT src ON ${on} INTO NAME name VALUE value) WHERE value <> '' GROUP BY name, value) ` +
    `SELECT name, value, n FROM counted QUALIFY row_number() OVER (PARTITION BY name ORDER BY n DESC, value) <= ${engine.dialect.literal(cap)} ORDER BY name, n DESC, value`;
  const rows = await engine.query<{ name: string; value: string; n: bigint }>(sql);
  for (const row of rows) {
    const index = Number(row.name.slice(1));
    const list = out.get(index) ?? [];
    list.push({ value: row.value, count: Number(row.n) });
    out.set(index, list);
  }
  for (const i of columnIndexes) if (!out.has(i)) out.set(i, []);
  return out;
}
