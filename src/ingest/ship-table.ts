import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ClickHouseEngine } from '../engine/clickhouse/engine.js';
import { copyTable, countLanded, sendUntilLanded, type CopyRetry } from '../engine/copy-table.js';
import type { ColumnSpec } from '../engine/dialect.js';
import type { DuckDbEngine } from '../engine/duckdb/engine.js';
import type { ColumnInfo } from '../engine/types.js';
import { CxrayError, UserError } from '../errors.js';

/**
 * A column rendered by DuckDB in ClickHouse's TabSeparated text: backslash
 * escapes for the bytes that delimit (`\\`, tab, newline, carriage return),
 * `\N` for NULL, timestamps as `YYYY-MM-DD hh:mm:ss` (read in the column's
 * UTC zone), booleans as the `'true'`/`'false'` of the Enum8 type.
 */
function tabSeparated(column: ColumnInfo, quote: (name: string) => string): string {
  const c = quote(column.name);
  const escaped = (text: string): string =>
    `replace(replace(replace(replace(${text}, '\\', '\\\\'), chr(9), '\\t'), chr(10), '\\n'), chr(13), '\\r')`;
  let text: string;
  switch (column.type) {
    case 'string':
      text = escaped(c);
      break;
    case 'timestamp':
      text = `strftime(${c}, '%Y-%m-%d %H:%M:%S')`;
      break;
    case 'date':
      text = `strftime(${c}, '%Y-%m-%d')`;
      break;
    default:
      // Integers, DOUBLE (shortest round-trip text), DECIMAL (exact text), BOOLEAN ('true'/'false').
      text = `CAST(${c} AS VARCHAR)`;
  }
  return `COALESCE(${text}, '\\N')`;
}

/** Dates and times ClickHouse would clamp without a word (DateTime is 1970 to 2105): refused with the column named. */
async function assertStorableTimes(staging: DuckDbEngine, target: ClickHouseEngine, table: string, columns: readonly ColumnInfo[]): Promise<void> {
  if (target.capabilities.timestampsBefore1970) return;
  const q = (name: string): string => staging.dialect.quoteIdent(name);
  for (const column of columns.filter((c) => c.type === 'timestamp' || c.type === 'date')) {
    const [range] = await staging.query<{ lo: string | null; hi: string | null }>(
      `SELECT CAST(min(${q(column.name)}) AS VARCHAR) AS lo, CAST(max(${q(column.name)}) AS VARCHAR) AS hi FROM ${q(table)}`,
    );
    const lo = range?.lo ?? null;
    const hi = range?.hi ?? null;
    if ((lo !== null && lo < '1970-01-01') || (hi !== null && hi >= '2106-01-01')) {
      throw new UserError('date_out_of_range', `${table}.${column.name} holds ${lo !== null && lo < '1970-01-01' ? lo : hi}: ${target.displayName} ${target.serverVersion.major}.${target.serverVersion.minor} stores dates and times from 1970 to 2105 only.`, {
        hint: 'Declare a birth date or another old date as an attribute of type age (whole years to as_of) or days_since (whole days to as_of), stored as the same number on every engine; or fix the value in the source. The import changed nothing.',
        column: column.name,
      });
    }
  }
}

/**
 * Sends one table of the embedded staging store to ClickHouse: created from
 * its portable column types, then written by DuckDB as one TabSeparated file
 * (in parallel, in C++) and streamed to the server, which places each row on
 * its customer's shard. About ten times the rate of streaming rows through
 * JavaScript (insertRows), which stays the path for list columns. The rows
 * the cluster then holds must be the rows staged: a table whose count
 * disagrees is sent again once (told to `onRetry`), then the import fails.
 */
export async function shipTable(staging: DuckDbEngine, target: ClickHouseEngine, table: string, tmpDir: string, onRetry?: (event: CopyRetry) => void): Promise<void> {
  const columns = await staging.describe(table);
  if (columns.some((c) => c.type === 'string[]')) {
    await copyTable(staging, target, table, { batchSize: 100_000, ...(onRetry === undefined ? {} : { onRetry }) });
    return;
  }
  await assertStorableTimes(staging, target, table, columns);
  const q = (name: string): string => staging.dialect.quoteIdent(name);
  const [counted] = await staging.query<{ n: bigint }>(`SELECT count(*) AS n FROM ${q(table)}`);
  const sent = Number(counted?.n ?? 0n);
  const file = join(tmpDir, `ship-${process.pid}-${table}.tsv`);
  try {
    await staging.exec(
      `COPY (SELECT ${columns.map((c) => tabSeparated(c, q)).join(', ')} FROM ${q(table)})
       TO ${staging.dialect.literal(file)} (FORMAT csv, DELIMITER '\t', HEADER false, QUOTE '', ESCAPE '')`,
    );
    const specs: ColumnSpec[] = columns.map((c) => ({ name: c.name, type: c.type, nullable: c.nullable }));
    const send = async (): Promise<{ sent: number; landed: number }> => {
      await target.exec(`DROP TABLE IF EXISTS ${target.dialect.quoteIdent(table)}`);
      await target.exec(target.dialect.createTable(table, specs));
      await target.insertTabSeparatedFile(
        table,
        columns.map((c) => c.name),
        file,
      );
      return { sent, landed: await countLanded(target, table, sent) };
    };
    await sendUntilLanded(table, send, {
      ...(onRetry === undefined ? {} : { onRetry }),
      fail: (rows, landed) =>
        new CxrayError('copy_incomplete', `Shipping ${table} sent ${rows} rows but the cluster holds ${landed}.`, {
          hint: "The cluster lost or duplicated rows in transit: check the shards' server logs, then import again (the previous version stays current).",
        }),
    });
  } finally {
    await rm(file, { force: true });
  }
}
