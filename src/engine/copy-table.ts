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
  /**
   * Copies after the first when the target's count disagrees with what was
   * sent (default 1). Each attempt drops and recreates the target table.
   */
  retries?: number;
  /** Told of each disagreement that was retried: what was sent, what the target held. */
  onRetry?: (event: CopyRetry) => void;
}

/** A copy whose count disagreed and was made again. */
export interface CopyRetry {
  table: string;
  attempt: number;
  sent: number;
  landed: number;
}

/**
 * The rows the target table holds, counted until two counts a moment apart
 * agree with `expected` or with each other: a count read while a shard is
 * still publishing its part would otherwise pass for a lost row.
 */
export async function countLanded(to: Engine, table: string, expected: number): Promise<number> {
  const count = async (): Promise<number> => {
    const [counted] = await to.query(`SELECT count(*) AS ${to.dialect.quoteIdent('n')} FROM ${to.dialect.quoteIdent(table)}`);
    return Number(counted?.['n'] ?? Number.NaN);
  };
  const first = await count();
  if (first === expected) return first;
  await new Promise((resolve) => setTimeout(resolve, 250));
  return count();
}

/**
 * Copies a table from one engine to another through the Engine boundary:
 * the target table is created from the source's portable column types (so
 * each engine stores them in its own exact types), then filled by streaming
 * batches through `insertRows`. Memory holds one batch. The target's count
 * must then equal the rows sent; when it does not, the table is copied again
 * (`retries`, once by default, each told to `onRetry`) before the copy fails.
 * Used by the import into a remote store (the rows were read and validated
 * by the embedded one) and by tests that put one fixture on both engines.
 *
 * @example
 * await copyTable(duck, clickhouse, 'transactions', { batchSize: 100_000 });
 */
export async function copyTable(from: Engine, to: Engine, table: string, options: CopyTableOptions = {}): Promise<number> {
  return sendUntilLanded(table, () => copyOnce(from, to, table, options), {
    ...(options.retries === undefined ? {} : { retries: options.retries }),
    ...(options.onRetry === undefined ? {} : { onRetry: options.onRetry }),
    fail: (sent, landed) =>
      new CxrayError('copy_incomplete', `Copying ${table} sent ${sent} rows but the target table holds ${landed}.`, {
        hint: 'The target store lost or duplicated rows in transit: check its server log, then run the copy (or the import) again.',
      }),
  });
}

/**
 * Sends a table with `send` (which rebuilds the target from scratch and says
 * how many rows it sent and how many landed) until the two agree. A copy that
 * lost or doubled rows would go unnoticed until two engines disagree on a
 * sum; sending again is safe since the target is rebuilt. It is sent again
 * `retries` times (once by default), each told to `onRetry`; a disagreement
 * after the last is the error `fail` makes of both counts.
 */
export async function sendUntilLanded(
  table: string,
  send: () => Promise<{ sent: number; landed: number }>,
  options: { retries?: number; onRetry?: (event: CopyRetry) => void; fail: (sent: number, landed: number) => Error },
): Promise<number> {
  const retries = options.retries ?? 1;
  for (let attempt = 1; ; attempt++) {
    const { sent, landed } = await send();
    if (landed === sent) return sent;
    if (attempt > retries) throw options.fail(sent, landed);
    options.onRetry?.({ table, attempt, sent, landed });
  }
}

async function copyOnce(from: Engine, to: Engine, table: string, options: CopyTableOptions): Promise<{ sent: number; landed: number }> {
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
  return { sent: copied, landed: await countLanded(to, target, copied) };
}
