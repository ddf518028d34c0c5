import { CxrayError } from '../errors.js';
import type { ColumnSpec } from './dialect.js';
import type { Engine, RowValue } from './types.js';

export interface CopyTableOptions {
  /** Name in the target (default: the same name). */
  as?: string;
  /** Rows per insert; each insert is one request on a remote engine. */
  batchSize?: number;
  /** Called after each batch with the rows copied so far. */
  onProgress?: (rows: number) => void;
  signal?: AbortSignal;
}

/**
 * Copies a table from one engine to another through the Engine boundary:
 * the target table is created from the source's portable column types (so
 * each engine stores them in its own exact types), then filled by streaming
 * batches through `insertRows`. Memory holds one batch. Used by the import
 * into a remote store (the rows were read and validated by the embedded one)
 * and by tests that put one fixture on both engines.
 *
 * @example
 * await copyTable(duck, clickhouse, 'transactions', { batchSize: 100_000 });
 */
export async function copyTable(from: Engine, to: Engine, table: string, options: CopyTableOptions = {}): Promise<number> {
  const target = options.as ?? table;
  const columns = await from.describe(table);
  const specs: ColumnSpec[] = columns.map((c) => ({ name: c.name, type: c.type, nullable: c.nullable }));
  await to.exec(`DROP TABLE IF EXISTS ${to.dialect.quoteIdent(target)}`);
  await to.exec(to.dialect.createTable(target, specs));
  const names = columns.map((c) => c.name);
  const select = `SELECT ${names.map((n) => from.dialect.quoteIdent(n)).join(', ')} FROM ${from.dialect.quoteIdent(table)}`;
  let copied = 0;
  const streamOptions = { batchSize: options.batchSize ?? 50_000, ...(options.signal === undefined ? {} : { signal: options.signal }) };
  for await (const batch of from.stream(select, {}, streamOptions)) {
    const rows: RowValue[][] = batch.map((row) => names.map((n) => row[n] ?? null));
    await to.insertRows(target, names, rows);
    copied += rows.length;
    options.onProgress?.(copied);
  }
  // A copy that lost or doubled rows would go unnoticed until two engines
  // disagree on a sum; the count is cheap next to the copy, so check it.
  const [counted] = await to.query(`SELECT count(*) AS ${to.dialect.quoteIdent('n')} FROM ${to.dialect.quoteIdent(target)}`);
  const landed = Number(counted?.['n'] ?? Number.NaN);
  if (landed !== copied) {
    throw new CxrayError('copy_incomplete', `Copying ${table} sent ${copied} rows but the target table holds ${landed}.`, {
      hint: 'The target store lost or duplicated rows in transit: check its server log, then run the copy (or the import) again.',
    });
  }
  return copied;
}
