import type { CxrayConfig } from '../config/schema.js';
import type { SqlDialect } from '../engine/dialect.js';
import type { CanonicalType } from '../engine/types.js';
import type { CanonicalTableName } from '../model/tables.js';
import type { FactsLayout } from './layout.js';
import type { SourceTables } from './source-tables.js';
import type { ValueBinder } from './value-binder.js';

/** What every facts SQL builder reads. */
export interface FactsSqlContext {
  d: SqlDialect;
  values: ValueBinder;
  tables: SourceTables;
  config: CxrayConfig;
  layout: FactsLayout;
  /**
   * The table a per-customer part reads (one placed by its own `customer_id`):
   * the table itself, or in the shard-local plan the part of it on the shard
   * running the statement (`dialect.shardLocalTable`).
   */
  source: (table: CanonicalTableName) => string;
  /** SQL for the first instant of the as_of day (UTC). */
  asOfStart: string;
  /** SQL for the first instant after the as_of day: rows count when `at < asOfEnd`. */
  asOfEnd: string;
}

/**
 * Internal column of a part. Internal names start with an underscore, which
 * declared attributes never do, so they cannot collide with one.
 */
export interface PartOutput {
  name: string;
  type: CanonicalType;
}

/**
 * One per-customer aggregate: a SELECT yielding `customer_id` (unique) and its
 * outputs. `sql` is null when its table is absent; its outputs then read as
 * typed NULLs.
 */
export interface FactsPart {
  table: CanonicalTableName;
  outputs: PartOutput[];
  sql: string | null;
  /**
   * False when the part groups rows by a column other than the row's own
   * `customer_id` (referrals: by referrer, by referred), so a customer's rows
   * may sit on other shards: such a part reads whole tables, never
   * `ctx.source`, and the shard-local plan computes it once and ships it.
   * Absent: true.
   */
  colocated?: boolean;
}

export const out = (name: string, type: CanonicalType): PartOutput => ({ name, type });
