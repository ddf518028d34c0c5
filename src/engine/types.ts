import type { SqlDialect } from './dialect.js';

/**
 * A value bound into a query. Values never reach SQL text by pasting: they are
 * bound where the engine supports it, else rendered by the dialect's one
 * audited literal escaper (`SqlDialect.literal`).
 *
 * Dates are UTC instants; `bigint` keeps 64-bit integers exact; a `number`
 * is a DOUBLE unless it is an integer in the 32-bit range (and not -0), so
 * it never comes back as a `bigint`; `string[]` is the `string[]` column type.
 * Money and dates travel as strings (`"12.3400"`, `"2024-02-29"`), cast by
 * the column they land in. NUL, lone surrogates and non-finite numbers are
 * rejected with a TypeError whether bound or rendered.
 */
export type SqlValue = string | number | bigint | boolean | null | Date | string[];

/** Named parameters, written `$name` in SQL text (letters, digits, underscore). */
export type SqlParams = Record<string, SqlValue>;

/**
 * How a value comes back from an engine, whatever the engine:
 * - integers of 64 bits and more: `bigint` (never silently a JS number)
 * - 32-bit and smaller integers, DOUBLE/FLOAT: `number`
 * - DECIMAL: `string` (exact, e.g. `"12.3400"`)
 * - TIMESTAMP: ISO-8601 UTC string `YYYY-MM-DDTHH:MM:SS.sssZ`
 * - DATE: `YYYY-MM-DD`
 * - BOOLEAN: `boolean`; VARCHAR: `string`; NULL: `null`; LIST: array of the above
 */
export type RowValue = string | number | bigint | boolean | null | RowValue[];
export type Row = Record<string, RowValue>;

export interface ColumnInfo {
  name: string;
  /** The engine's own type name, e.g. `DECIMAL(18,4)` or `Nullable(String)`. */
  engineType: string;
  /** The portable type. */
  type: CanonicalType;
  nullable: boolean;
}

/** Portable column types; each dialect maps them to its own (`SqlDialect.columnType`). */
export type CanonicalType =
  | 'string'
  | 'int32'
  | 'int64'
  | 'double'
  | 'money'
  | 'boolean'
  | 'timestamp'
  | 'date'
  | 'string[]';

/**
 * What an engine can do, read from the server at connect time. Code branches
 * on these flags, never on an engine's name.
 */
export interface Capabilities {
  /**
   * Values bound server-side (`$name`) rather than escaped into SQL text.
   * When false, the engine substitutes `$name` placeholders itself through
   * `dialect.literal`; callers pass `params` the same way either way.
   */
  boundParameters: boolean;
  /**
   * `OVER (...)` window functions. For this flag and the two below, when
   * false such SQL fails with `query_failed`; analyses must not emit it.
   */
  windowFunctions: boolean;
  /** `WITH name AS (SELECT ...)` common table expressions. */
  commonTableExpressions: boolean;
  /** More than one JOIN in one SELECT. */
  multipleJoinsPerSelect: boolean;
  /** Multi-statement transactions with rollback (`BEGIN TRANSACTION` / `ROLLBACK`). */
  transactions: boolean;
  /**
   * Query cancellation through an AbortSignal: an aborted query rejects with
   * `query_cancelled`. When false, passing a signal rejects with
   * `UnsupportedCapability` before anything runs.
   */
  cancellation: boolean;
  /**
   * Timestamps and dates before 1970-01-01 can be stored. When false, the
   * engine rejects such a value with `UnsupportedCapability` instead of
   * letting the server clamp or wrap it.
   */
  timestampsBefore1970: boolean;
  /**
   * Sub-second timestamps (to the microsecond; read back to the millisecond).
   * When false, stored timestamps are floored to the second.
   */
  subsecondTimestamps: boolean;
  /**
   * Data is spread over shards; cross-shard joins must say how data moves.
   * When true, the engine has `execOnEachShard` (per-customer work run on
   * each shard's own rows, in parallel; see there).
   */
  distributed: boolean;
  /**
   * `WITH <expression> AS name, ... SELECT ...` names per-row expressions
   * once for the whole statement, later ones using earlier names, and the
   * statement still reads its table directly (on a cluster: aggregated on
   * each shard). Absent means false.
   */
  expressionAliases?: boolean;
  /**
   * Longest table or column name `dialect.createTable` accepts, in UTF-8
   * bytes; a longer one is rejected with UserError `identifier_too_long`
   * before anything runs. Absent: no limit of the engine's own.
   */
  maxIdentifierBytes?: number;
  /**
   * A `string[]` column can hold NULL. When false (absent means true), list
   * columns are never nullable: `insertRows` stores a NULL list as `[]`,
   * `describe` reports them as not nullable, and NULL cast to the list type
   * (or inserted into a list column by SQL) fails with `query_failed`.
   */
  nullableLists?: boolean;
  /**
   * SQL has a boolean type: comparisons and boolean parameters read back as
   * `true`/`false`. When false (absent means true), only the boolean column
   * type reads back as a boolean (stored, or `CAST(x AS columnType('boolean'))`);
   * a comparison reads back as 1/0, a bare boolean parameter or literal as
   * the text 'true'/'false' (converted on insert, CAST and comparison with a
   * boolean column), and a boolean column is no condition on its own: write
   * `boolToInt(col) = 1`.
   */
  booleanExpressions?: boolean;
  /**
   * `ORDER BY 1` / `GROUP BY 1` refer to the first select column. When false
   * (absent means true), such a statement fails with `query_failed` (the
   * server would read the 1 as a constant); name the column or its alias.
   */
  positionalReferences?: boolean;
}

export interface QueryOptions {
  signal?: AbortSignal;
}

export interface StreamOptions extends QueryOptions {
  /** Rows per yielded batch. */
  batchSize?: number;
}

/**
 * The engine boundary: the only way analyses, ingest and facts touch a
 * database. Only `engine/<db>/engine.ts` imports a driver.
 *
 * @example
 * const rows = await engine.query<{ n: bigint }>(
 *   `SELECT count(*) AS n FROM ${engine.dialect.quoteIdent('customers')} WHERE segment = $segment`,
 *   { segment: 'retail' },
 * );
 */
export interface Engine {
  /** For messages only; never branch on it. */
  readonly displayName: string;
  readonly dialect: SqlDialect;
  readonly capabilities: Capabilities;

  /**
   * Run a statement that returns rows; all rows in memory. Parameters the
   * statement does not name are ignored; a `$name` without a value, a bad
   * parameter name or an unrenderable value throws a TypeError. `$name`
   * inside quotes or comments is text, not a placeholder.
   */
  query<R extends Row = Row>(sql: string, params?: SqlParams, options?: QueryOptions): Promise<R[]>;
  /** Run a statement for its effect (DDL, INSERT ... SELECT, COPY). */
  exec(sql: string, params?: SqlParams, options?: QueryOptions): Promise<void>;
  /**
   * Stream a large result in batches with flat memory. A stream may run on
   * its own connection: it sees committed data only.
   */
  stream<R extends Row = Row>(sql: string, params?: SqlParams, options?: StreamOptions): AsyncIterable<R[]>;
  /** Columns of a table, in order. Throws UserError `table_missing` when absent. */
  describe(table: string): Promise<ColumnInfo[]>;
  /** Whether a table (or view) exists. */
  hasTable(table: string): Promise<boolean>;
  /** Bulk-insert rows into an existing table (column names as in the table). */
  insertRows(table: string, columns: string[], rows: RowValue[][]): Promise<void>;
  /**
   * Run a statement for its effect on every shard at once, each shard's
   * server running it on its own, in parallel (optional: engines whose data
   * is spread over shards have it; on a single server it runs once there).
   * The statement names shard parts with `dialect.shardLocalTable(t)`: a
   * shard then reads and writes only its own rows, and nothing moves between
   * shards. Because every table placed by `customer_id` puts all of one
   * customer's rows on one shard, per-customer work (GROUP BY customer_id,
   * joins USING customer_id) is exact this way; rows keyed by anything else
   * must not be read from a shard part. A plain table name (`quoteIdent(t)`)
   * still reads every shard, from whichever shard runs the statement.
   *
   * Resolves when every shard is done; rejects with the first failure once
   * all have settled (the other shards may have applied the statement).
   * DDL (CREATE/DROP) does not belong here: `exec` already sends it to every
   * shard.
   *
   * @example
   * const d = engine.dialect;
   * if (engine.capabilities.distributed && engine.execOnEachShard !== undefined) {
   *   await engine.execOnEachShard(
   *     `INSERT INTO ${d.shardLocalTable('totals')} SELECT customer_id, sum(amount) FROM ${d.shardLocalTable('orders')} GROUP BY customer_id`,
   *   );
   * }
   */
  execOnEachShard?(sql: string, params?: SqlParams, options?: QueryOptions): Promise<void>;
  /**
   * One SELECT run by every shard's own server at once, each answering from
   * its own rows (named with `dialect.shardLocalTable(t)`); each shard's rows
   * in shard order (optional, as execOnEachShard). The caller combines them:
   * it suits aggregates that add up over shards (counts and sums of
   * per-customer values), which then skip the Distributed table's rewrite of
   * the statement for the shards (on ClickHouse 18.16 that rewrite costs
   * ~0.4 s for a statement of a few hundred aggregates over named
   * expressions; the shards' own answers take ~0.08 s).
   */
  queryOnEachShard?<R extends Row = Row>(sql: string, params?: SqlParams, options?: QueryOptions): Promise<R[][]>;
  close(): Promise<void>;
}
