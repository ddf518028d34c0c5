import type { CanonicalType, SqlValue } from './types.js';

export type TimeUnit = 'second' | 'minute' | 'hour' | 'day' | 'week' | 'month' | 'quarter' | 'year';

/** Output column names of `SqlDialect.runningTotals`. */
export interface RunningTotalNames {
  value: string;
  position: string;
  before: string;
}

/** One column of a table to create (`SqlDialect.createTable`). */
export interface ColumnSpec {
  name: string;
  type: CanonicalType;
  /** Default true. */
  nullable?: boolean;
}

/**
 * SQL generation for one backend: pure, no I/O. Semantic methods only; the
 * analyses never write engine-specific SQL.
 *
 * The quoting contract: every identifier goes through `quoteIdent`, every
 * value not bound as a parameter goes through `literal`. Both throw on input
 * they cannot render safely (NUL bytes, non-finite numbers, lone surrogates)
 * instead of guessing.
 *
 * @example
 * const d = engine.dialect;
 * `SELECT ${d.dateTrunc('month', d.quoteIdent('at'))} AS month, count(*) FROM ${d.quoteIdent('transactions')} GROUP BY month`
 */
export interface SqlDialect {
  readonly name: string;
  /** Quote an identifier (table or column name). */
  quoteIdent(name: string): string;
  /** A qualified name, each part quoted. */
  qualify(...parts: string[]): string;
  /** Render a value as a SQL literal: the one audited escaper. */
  literal(value: SqlValue): string;
  /** The engine's type for a portable type; usable in `CAST(x AS ...)`. */
  columnType(type: CanonicalType, nullable?: boolean): string;
  /**
   * `CREATE TABLE` for portable columns, with whatever table clause the
   * engine requires (e.g. a storage engine on ClickHouse).
   */
  createTable(table: string, columns: readonly ColumnSpec[]): string;
  /**
   * A parenthesised subquery usable after FROM, with one int64 column
   * `column` holding 0, 1, ..., count - 1 (calendar spines, test data).
   */
  integerSeries(count: number, column: string): string;
  /** Truncate a timestamp expression to a unit (weeks start on Monday). */
  dateTrunc(unit: TimeUnit, expr: string): string;
  /** Whole units from `start` to `end` (timestamp expressions), truncating toward zero. */
  dateDiff(unit: 'second' | 'day', start: string, end: string): string;
  /** Timestamp expression plus a whole number of days (may be negative). */
  addDays(expr: string, days: string | number): string;
  /** Exact quantile (one definition on every engine: the lower order statistic, type 1). */
  quantileExact(expr: string, p: number): string;
  /**
   * The values of the column `column` of `select` (a SELECT statement) in
   * ascending order, as a parenthesised subquery usable after FROM with
   * three DOUBLE columns named by `names`: the value, its position (1 to n)
   * and `before`, the total of the values sorted before it. NULL values are
   * left out. Equal values take consecutive positions in no set order: a sum
   * over the rows of any function of (value, position, before) does not
   * depend on it. For rank-based statistics (Gini, Lorenz curve) on engines
   * with or without window functions; holds all n values in one place.
   *
   * @example
   * `SELECT sum(x * i) FROM ${d.runningTotals(`SELECT v FROM t`, 'v', { value: 'x', position: 'i', before: 'a' })} AS w`
   */
  runningTotals(select: string, column: string, names: RunningTotalNames): string;
  /** Cast an expression to DOUBLE. */
  toDouble(expr: string): string;
  /** Natural logarithm of a DOUBLE expression (`log` is base 10 on some engines, natural on others). */
  naturalLog(expr: string): string;
  /**
   * The expression's value for rows where it is known not to be NULL (the
   * statement's WHERE excludes the others), typed as not nullable: ClickHouse
   * computes on a Nullable column at about half the speed, DuckDB the same.
   * A NULL it meets anyway becomes the type's default (0).
   */
  assumeNotNull(expr: string): string;
  /**
   * One aggregate whose value is the array of Σ weight·left·right over the
   * rows, one element per pair, in order (optional: engines with array
   * aggregates have it; others sum each pair on its own). A regression's
   * cross-products are hundreds of such sums: as separate aggregates
   * ClickHouse 18.16 spends most of a statement analysing them (a 17-column
   * logistic step: 0.10 s a shard as 171 sums, 0.05 s as one).
   */
  sumOfProducts?(pairs: readonly (readonly [string, string])[], weight: string): string;
  /** Cast an expression to the exact money type. */
  toMoney(expr: string): string;
  /** Cast to string. */
  toString(expr: string): string;
  /** Text in lower case, every letter (not ASCII only), the same on every engine. */
  lower(expr: string): string;
  /** Whether text `haystack` holds `needle` (a boolean condition; the empty needle is in everything). */
  contains(haystack: string, needle: string): string;
  /**
   * A portable 64-bit non-negative integer hash of a string expression (same
   * value on every engine): the first 8 bytes of MD5 over the UTF-8 text, read
   * big-endian. Reference: `md5Hash64` in portable-hash.ts.
   */
  hashString(expr: string): string;
  /**
   * A portable 64-bit non-negative integer hash of an int64 expression: the
   * splitmix64 finaliser (Steele, Lea & Flood 2014) of the key taken modulo
   * 2^64, using only wrapping multiplication, xor and shifts. Reference:
   * `splitmix64` in portable-hash.ts. `expr` is evaluated several
   * times: pass a column or a cheap expression.
   */
  hashInteger(expr: string): string;
  /** Timestamp from epoch seconds (expression). */
  fromEpochSeconds(expr: string): string;
  /** Epoch seconds (double) of a timestamp expression. */
  epochSeconds(expr: string): string;
  /** Count of distinct non-NULL values (exact); 0, never NULL, when there are none. */
  countDistinct(expr: string): string;
  /**
   * The table's part on the server a statement runs on, for statements run on
   * each shard by `Engine.execOnEachShard`: there it reads and writes only the
   * shard's own rows, which (tables placed by `customer_id`) are all of its
   * customers' rows. Where a table is not split into parts (a single server),
   * the table itself, as `quoteIdent(table)` names it.
   */
  shardLocalTable(table: string): string;
  /**
   * The join keyword for a right side that is read whole once and matched
   * with every part of the left (`INNER JOIN`, `LEFT JOIN`). On a cluster,
   * `GLOBAL`: the entry server runs the right side once and ships its result
   * to every shard (clickhouse/layout.ts), exact whatever shard holds its
   * rows; use it for narrow right sides, such as another version's
   * per-customer columns, whose placement need not match this version's.
   */
  globalJoin(kind: 'INNER' | 'LEFT'): string;
  /** `IF(cond, a, b)`. */
  ifThen(cond: string, then: string, otherwise: string): string;
  /** Boolean to 0/1 integer. */
  boolToInt(expr: string): string;
}

/**
 * Shared guard for escapers: rejects what no dialect can render safely.
 * Dialects call it first; a dialect that forgets it fails the conformance suite.
 */
export function assertRenderableText(text: string, what: string): void {
  if (text.includes('\u0000')) {
    throw new TypeError(`${what} contains a NUL character and cannot be rendered in SQL`);
  }
  if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text)) {
    throw new TypeError(`${what} contains a lone UTF-16 surrogate and cannot be rendered in SQL`);
  }
}
