import type { Engine } from '../engine/types.js';
import type { RejectedRecord } from './read-file.js';
import { lineOfUnit, type RecordScan } from './scan-records.js';

/*
 * Whitespace-separated text (`delimiter: whitespace`): DuckDB's reader has no
 * "runs of spaces" delimiter, so each line is read as one text column and split
 * here with a regular expression. A line with another number of fields than
 * the file's columns is rejected as `wrong_column_count`, with its line, like
 * a delimited record DuckDB rejects.
 */

/** A delimiter for DuckDB that text files do not hold: a line containing it has two cells and is rejected by the reader. */
export const LINE_DELIMITER = '\u001f';

/** Characters trimmed around a line and separating its fields. */
const SPACE = ' \t\r\f\v';

/** Fields of a header line (no quoting). */
export function splitWhitespaceFields(line: string): string[] {
  const trimmed = line.trim();
  return trimmed === '' ? [] : trimmed.split(/[ \t\r\f\v]+/);
}

/**
 * Data unit (1-based, headers excluded) of the j-th row DuckDB accepted, given
 * the data units it did not return (blank, rejected), sorted: j plus the
 * skipped units before it.
 */
export function dataUnitOfAccepted(j: number, skippedSorted: readonly number[]): number {
  let unit = j;
  for (const s of skippedSorted) {
    if (s <= unit) unit += 1;
    else break;
  }
  return unit;
}

/**
 * A blank line comes back from a one-column read as a NULL row (DuckDB), where
 * the scan already counts it as skipped: NULL rows are left out before rows
 * are numbered, so that row j is the j-th record neither blank nor rejected.
 *
 * Splits the one-column table `lines` (column `c1`, a row per line in file
 * order) into `columns` text columns `c1..cN` in a new table `into`, in the
 * same order, leaving out lines with another number of fields; returns those
 * as rejected records.
 */
export async function splitWhitespaceLines(
  engine: Engine,
  lines: string,
  into: string,
  columns: number,
  context: { skippedDataUnits: readonly number[]; headerRows: number; scan: Pick<RecordScan, 'lineBreakpoints'> },
): Promise<RejectedRecord[]> {
  const d = engine.dialect;
  const q = d.quoteIdent;
  const fields = `string_split_regex(trim(${q('c1')}, ${d.literal(SPACE)}), ${d.literal('[ \\t\\r\\f\\v]+')})`;
  const count = `CASE WHEN trim(${q('c1')}, ${d.literal(SPACE)}) = '' THEN 0 ELSE len(_f) END`;
  const cells = Array.from({ length: columns }, (_, i) => `_f[${i + 1}] AS ${q(`c${i + 1}`)}`).join(', ');
  const split = `${into}_split`;
  await engine.exec(
    `CREATE OR REPLACE TEMP TABLE ${q(split)} AS
     SELECT _j, ${count} AS _fields, ${q('c1')} AS _text, ${cells}
     FROM (SELECT row_number() OVER (ORDER BY rowid) AS _j, ${q('c1')}, ${fields} AS _f FROM ${q(lines)} WHERE ${q('c1')} IS NOT NULL)`,
  );
  const bad = await engine.query<{ _j: bigint; _fields: number | bigint; _text: string | null }>(
    `SELECT _j, _fields, _text FROM ${q(split)} WHERE _fields <> ${columns} ORDER BY _j`,
  );
  const names = Array.from({ length: columns }, (_, i) => q(`c${i + 1}`)).join(', ');
  await engine.exec(`CREATE OR REPLACE TABLE ${q(into)} AS SELECT ${names} FROM ${q(split)} WHERE _fields = ${columns} ORDER BY _j`);
  await engine.exec(`DROP TABLE IF EXISTS ${q(split)}`);
  return bad.map((row) => {
    const unit = dataUnitOfAccepted(Number(row._j), context.skippedDataUnits) + context.headerRows;
    const found = Number(row._fields);
    return {
      unit,
      line: lineOfUnit(context.scan, unit),
      reason: 'wrong_column_count',
      detail: `expected ${columns} fields separated by spaces, found ${found}`,
      raw: (row._text ?? '').replace(/\r$/, ''),
      footer: false,
    };
  });
}
