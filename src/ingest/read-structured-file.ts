import { stat } from 'node:fs/promises';
import type { Engine } from '../engine/types.js';
import { UserError } from '../errors.js';
import { MAX_FILE_COLUMNS, type RawFile } from './read-file.js';

/**
 * Read a Parquet or JSON (array or newline-delimited) file into the same raw
 * all-text table as a CSV: `_unit` and `_line` are the record number (these
 * formats have no lines a person would count), columns become `c1..cN`, and
 * nested values become JSON text. Typing and checks then run exactly as for CSV.
 */
export async function readStructuredFile(engine: Engine, absPath: string, displayPath: string, format: 'parquet' | 'json', table: string): Promise<RawFile> {
  const d = engine.dialect;
  let size: number;
  try {
    size = (await stat(absPath)).size;
  } catch (error) {
    throw new UserError('source_missing', `Cannot read ${displayPath}: no such file.`, { hint: 'Check the path in cxray.yaml (sources.*.files).', file: displayPath, cause: error });
  }
  if (size === 0) throw new UserError('source_empty', `${displayPath} is empty.`, { hint: 'Export the file again, or remove it from cxray.yaml.', file: displayPath });
  const reader = format === 'parquet' ? `read_parquet(${d.literal(absPath)})` : `read_json_auto(${d.literal(absPath)}, format = 'auto', union_by_name = true)`;
  const loaded = `${table}_loaded`;
  try {
    await engine.exec(`CREATE OR REPLACE TABLE ${d.quoteIdent(loaded)} AS SELECT * FROM ${reader}`);
  } catch (error) {
    throw new UserError('source_unreadable', `${displayPath} could not be read as ${format}: ${(error as Error).message.split('\n')[0] ?? ''}`, {
      hint: format === 'json' ? 'cxray reads a JSON array of objects or newline-delimited JSON objects.' : 'Check that the file is a complete Parquet file.',
      file: displayPath,
      cause: error,
    });
  }
  const columns = await engine.describe(loaded);
  if (columns.length === 0) throw new UserError('source_header_only', `${displayPath} has no columns.`, { hint: 'Export the file again.', file: displayPath });
  if (columns.length > MAX_FILE_COLUMNS) {
    throw new UserError('source_too_wide', `${displayPath} has ${columns.length.toLocaleString('en')} columns (fields); cxray reads files of at most ${MAX_FILE_COLUMNS.toLocaleString('en')}.`, {
      hint: 'Export only the fields you need (a customer id, dates, amounts, a few attributes).',
      file: displayPath,
    });
  }
  const cells = columns.map((c, i) => {
    const ref = d.quoteIdent(c.name);
    const nested = /STRUCT|MAP|\[\]|JSON/i.test(c.engineType);
    return `${nested ? `CAST(to_json(${ref}) AS VARCHAR)` : `CAST(${ref} AS VARCHAR)`} AS ${d.quoteIdent(`c${i + 1}`)}`;
  });
  await engine.exec(
    `CREATE OR REPLACE TABLE ${d.quoteIdent(table)} AS SELECT rowid + 1 AS _unit, rowid + 1 AS _line, ${cells.join(', ')} FROM ${d.quoteIdent(loaded)}`,
  );
  await engine.exec(`DROP TABLE IF EXISTS ${d.quoteIdent(loaded)}`);
  const count = Number((await engine.query<{ n: bigint }>(`SELECT count(*) AS n FROM ${d.quoteIdent(table)}`))[0]?.n ?? 0n);
  if (count === 0) throw new UserError('source_header_only', `${displayPath} has no records.`, { hint: 'Export the file again with its rows.', file: displayPath });
  return { table, names: columns.map((c) => c.name), read: count, accepted: count, rejected: [], linesApproximate: false, bytes: size, dropAfterUse: [`TABLE ${table}`] };
}
