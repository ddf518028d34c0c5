import type { CxrayConfig } from '../config/schema.js';
import type { CanonicalType } from '../engine/types.js';
import type { CanonicalTableName } from '../model/tables.js';

export interface FactsOptions {
  /** The measurement date, `YYYY-MM-DD`; everything dated on that day still counts. */
  asOf: string;
  /** Reads `behaviours`, `fees`, `handling_cost`, `handling_cost_per_minute`, `fiscal_year_start_month`, `currency`. */
  config: CxrayConfig;
  /**
   * Where the work runs on an engine whose data is spread over shards
   * (`capabilities.distributed`); ignored elsewhere (one server: one plan).
   * - `shard-local` (default): each shard builds the rows of its own
   *   customers from its own parts of the tables, all shards in parallel.
   * - `entry`: one portable INSERT ... SELECT at the entry server, which pulls
   *   every shard's per-customer aggregates and joins them there.
   */
  plan?: FactsPlanKind;
  /**
   * Shard-local plan only: build each shard's rows in this many passes, each
   * over the customers whose portable hash falls in one bucket, so a pass
   * holds 1/buckets of a shard's per-customer aggregates in memory (a
   * ClickHouse 18.16 hash join cannot spill). Default: one pass per
   * FACTS_BUCKET_ROWS rows of the largest table.
   */
  buckets?: number;
}

export type FactsPlanKind = 'shard-local' | 'entry';

/** One column of `customer_facts`, as documented for analyses and docs. */
export interface FactsColumn {
  name: string;
  type: CanonicalType;
  /** `days`, `count`, `minutes`, a currency code, a score scale; null for ids, text, flags and instants. */
  unit: string | null;
  description: string;
  nullable: boolean;
  /** The canonical table the value comes from (`customers` for attributes and cohorts). */
  table: CanonicalTableName;
}

export interface FactsSummary {
  rows: number;
  columns: FactsColumn[];
  tablesUsed: CanonicalTableName[];
  tablesMissing: CanonicalTableName[];
  seconds: number;
}
