import { existsSync, statSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import type { ColumnSpec } from '../../engine/dialect.js';
import { DuckDbEngine } from '../../engine/duckdb/engine.js';
import type { Engine, RowValue, SqlParams } from '../../engine/types.js';
import { UserError } from '../../errors.js';

/** What the scoring commands write: CSV for a spreadsheet or a CRM import, Parquet for a warehouse. */
export type OutputFormat = 'csv' | 'parquet';

/** The format an output path asks for by its extension; a UserError for any other. */
export function outputFormat(path: string, flag = '--out'): OutputFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.parquet') return 'parquet';
  throw new UserError('bad_argument', `${flag} ${path}: the file must end in .csv or .parquet.`, { hint: `For example ${flag} scores.csv or ${flag} scores.parquet.` });
}

/** A file beside an output: `scores.csv` + `.quality.json` = `scores.quality.json`. */
export function besideOutput(out: string, suffix: string): string {
  return join(dirname(out), `${basename(out, extname(out))}${suffix}`);
}

/** The output's folder must exist and the output must not be a folder. */
export function checkOutputPath(path: string, flag = '--out'): void {
  const dir = dirname(path);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new UserError('output_folder_missing', `${flag} ${path}: the folder ${dir} does not exist.`, { hint: 'Create the folder first, or write somewhere else.' });
  }
  if (existsSync(path) && statSync(path).isDirectory()) throw new UserError('bad_argument', `${flag} ${path} is a folder.`, { hint: 'Give a file name ending in .csv or .parquet.' });
}

/**
 * `COPY (select) TO path` on a DuckDB engine, written to a temporary name and
 * renamed, so a failed export never leaves half a file under the real name.
 * Parquet files carry `metadata` as key-value metadata.
 */
export async function copySelectToFile(engine: Engine, select: string, params: SqlParams, path: string, format: OutputFormat, metadata: Record<string, string> = {}): Promise<void> {
  const d = engine.dialect;
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  const entries = Object.entries(metadata);
  const options =
    format === 'csv'
      ? `FORMAT CSV, HEADER, DELIMITER ','`
      : `FORMAT PARQUET${entries.length === 0 ? '' : `, KV_METADATA {${entries.map(([k, v]) => `${d.quoteIdent(k)}: ${d.literal(v)}`).join(', ')}}`}`;
  try {
    await engine.exec(`COPY (${select}) TO ${d.literal(temporary)} (${options})`, params);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/**
 * Rows of a query on any engine written by an in-memory DuckDB: streamed in
 * batches into a table of `columns`, then COPYed by `final` (a SELECT over
 * that table, e.g. with ORDER BY). How a ClickHouse store's exports are
 * written: memory holds one batch plus DuckDB's table.
 */
export async function streamToFile(
  source: Engine,
  select: string,
  params: SqlParams,
  columns: readonly ColumnSpec[],
  final: (table: string, engine: Engine) => string,
  path: string,
  format: OutputFormat,
  metadata: Record<string, string> = {},
): Promise<number> {
  const memory = await DuckDbEngine.open(':memory:', { memoryLimit: '1GB' });
  try {
    const table = '_rows';
    await memory.exec(memory.dialect.createTable(table, columns));
    const names = columns.map((c) => c.name);
    let rows = 0;
    for await (const batch of source.stream(select, params, { batchSize: 50_000 })) {
      await memory.insertRows(table, names, batch.map((row): RowValue[] => names.map((n) => row[n] ?? null)));
      rows += batch.length;
    }
    await copySelectToFile(memory, final(table, memory), {}, path, format, metadata);
    return rows;
  } finally {
    await memory.close();
  }
}
