import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Engine } from '../../engine/types.js';
import { CxrayError, UserError } from '../../errors.js';
import { transcodeToUtf8 } from '../../ingest/transcode.js';
import type { Encoding, ValueCount } from '../types.js';

export interface CsvReadOptions {
  path: string;
  delimiter: string;
  encoding: Encoding;
  /** Header rows to skip. */
  skip: number;
  columnCount: number;
  /** False to read with one thread (see withCsvRead). */
  parallel?: boolean;
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
    `strict_mode = false, ${o.parallel === false ? 'parallel = false, ' : ''}columns = {${columns}})`
  );
}

/** DuckDB's parallel reader refuses null_padding once a large file has a quoted line break. */
const SERIAL_ONLY = /does not support null_padding in conjunction with quoted new lines/;

/**
 * Run `run` over the file's `read_csv(...)`; a file the parallel reader
 * refuses (multi-line text past its first buffer) is read again by one
 * thread. DuckDB cannot decode Windows-1252: `run` then reads a UTF-8 copy
 * (the same lines), removed when it ends.
 */
export async function withCsvRead<T>(engine: Engine, o: CsvReadOptions, run: (read: string) => Promise<T>): Promise<T> {
  if (o.encoding === 'windows-1252') {
    const copy = await mkdtemp(join(tmpdir(), 'cxray-init-'));
    try {
      await transcodeToUtf8(o.path, join(copy, 'utf8.csv'));
      return await withCsvRead(engine, { ...o, path: join(copy, 'utf8.csv'), encoding: 'utf-8' }, run);
    } finally {
      await rm(copy, { recursive: true, force: true });
    }
  }
  try {
    return await run(readCsvSql(engine, o));
  } catch (error) {
    if (o.parallel !== false && error instanceof Error && SERIAL_ONLY.test(error.message)) return run(readCsvSql(engine, { ...o, parallel: false }));
    throw error;
  }
}

/**
 * DuckDB refused the file's bytes (binary data, a byte its decoder rejects):
 * the user's file to fix, not a bug. Errors of other kinds pass unchanged.
 */
export function unreadableFile(error: unknown, path: string): unknown {
  if (!(error instanceof CxrayError) || error instanceof UserError || !/^(Invalid Input|Conversion) Error/.test(error.message)) return error;
  return new UserError('input_unreadable', `${basename(path)} could not be read as CSV text: ${error.message.split('\n')[0] ?? ''}`, {
    hint: 'Check that it is a CSV export (not a spreadsheet or a binary file) and export it again, or leave it out of --from.',
    file: path,
    cause: error,
  });
}

/** The first `limit` data rows, as text (NULL for empty cells). */
export async function readSampleRows(engine: Engine, o: CsvReadOptions, limit = 500): Promise<(string | null)[][]> {
  const rows = await withCsvRead(engine, o, (read) => engine.query(`SELECT * FROM ${read} LIMIT ${engine.dialect.literal(limit)}`));
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
  const sql = (read: string): string =>
    `WITH src AS (SELECT ${selected} FROM ${read}), ` +
    `counted AS (SELECT name, value, count(*) AS n FROM (UNPIVOT src ON ${on} INTO NAME name VALUE value) WHERE value <> '' GROUP BY name, value) ` +
    `SELECT name, value, n FROM counted QUALIFY row_number() OVER (PARTITION BY name ORDER BY n DESC, value) <= ${engine.dialect.literal(cap)} ORDER BY name, n DESC, value`;
  const rows = await withCsvRead(engine, o, (read) => engine.query<{ name: string; value: string; n: bigint }>(sql(read)));
  for (const row of rows) {
    const index = Number(row.name.slice(1));
    const list = out.get(index) ?? [];
    list.push({ value: row.value, count: Number(row.n) });
    out.set(index, list);
  }
  for (const i of columnIndexes) if (!out.has(i)) out.set(i, []);
  return out;
}
