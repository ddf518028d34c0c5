import type { Engine } from '../../engine/types.js';
import { columnAlias, unreadableFile, withCsvRead } from '../read/read-sample.js';
import type { ColumnProfile, FileInspection } from '../types.js';

/**
 * The customers source as other files see it: its id column, its e-mail
 * column, and every id and e-mail in the whole file (held in the init
 * session's DuckDB), so another file's candidate column can be tested by how
 * many of its sampled values are real customer ids.
 */
export interface CustomerDirectory {
  sourceName: string;
  file: FileInspection;
  idColumn: ColumnProfile;
  emailColumn?: ColumnProfile;
  /** Share (0..1) of the distinct values found among the customers' ids or e-mails. */
  overlap(values: readonly string[], kind: 'id' | 'email'): Promise<number>;
}

const ID_TABLE = 'init_customer_ids';
const EMAIL_TABLE = 'init_customer_emails';
const PROBE_TABLE = 'init_probe';

export async function buildCustomerDirectory(
  engine: Engine,
  sourceName: string,
  file: FileInspection,
  idColumn: ColumnProfile,
  emailColumn: ColumnProfile | undefined,
): Promise<CustomerDirectory> {
  const q = (s: string): string => engine.dialect.quoteIdent(s);
  const options = {
    path: file.path,
    delimiter: file.delimiter,
    encoding: file.encoding,
    skip: file.headerRows,
    columnCount: file.columns.length,
  };
  const emailSource = emailColumn === undefined ? 'NULL' : `lower(trim(${q(columnAlias(emailColumn.index))}))`;
  try {
    await withCsvRead(engine, options, async (read) => {
      await engine.exec(`CREATE OR REPLACE TEMP TABLE ${q(ID_TABLE)} AS SELECT DISTINCT trim(${q(columnAlias(idColumn.index))}) AS v FROM ${read} WHERE v IS NOT NULL`);
      await engine.exec(`CREATE OR REPLACE TEMP TABLE ${q(EMAIL_TABLE)} AS SELECT DISTINCT ${emailSource} AS v FROM ${read} WHERE v IS NOT NULL`);
    });
  } catch (error) {
    throw unreadableFile(error, file.path);
  }
  await engine.exec(`CREATE OR REPLACE TEMP TABLE ${q(PROBE_TABLE)} (v VARCHAR)`);
  return {
    sourceName,
    file,
    idColumn,
    ...(emailColumn === undefined ? {} : { emailColumn }),
    async overlap(values, kind) {
      const distinct = [...new Set(values.map((v) => (kind === 'email' ? v.trim().toLowerCase() : v.trim())))].filter((v) => v !== '');
      if (distinct.length === 0) return 0;
      await engine.exec(`DELETE FROM ${q(PROBE_TABLE)}`);
      await engine.insertRows(PROBE_TABLE, ['v'], distinct.map((v) => [v]));
      const table = kind === 'email' ? EMAIL_TABLE : ID_TABLE;
      const rows = await engine.query<{ n: bigint }>(`SELECT count(*) AS n FROM ${q(PROBE_TABLE)} p WHERE p.v IN (SELECT v FROM ${q(table)})`);
      return Number(rows[0]?.n ?? 0n) / distinct.length;
    },
  };
}

/** Letters -> a, digit runs -> 9: `cus_NffrFe2b` -> `a_a9a`, `7590-VHVEG` -> `9-a`. */
export function valueShape(value: string): string {
  return value.replace(/[A-Za-z]+/g, 'a').replace(/\d+/g, '9');
}

export function dominantShape(values: readonly string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(valueShape(v), (counts.get(valueShape(v)) ?? 0) + 1);
  let best: string | undefined;
  let bestCount = 0;
  for (const [shape, count] of counts) if (count > bestCount) [best, bestCount] = [shape, count];
  return best;
}
