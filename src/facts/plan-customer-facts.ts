import type { ColumnSpec } from '../engine/dialect.js';
import type { Engine, SqlParams } from '../engine/types.js';
import type { CanonicalTableName } from '../model/tables.js';
import { parseAsOf } from './as-of.js';
import { joinParts } from './assemble.js';
import { behavioursPart } from './behaviours-part.js';
import { assertChannelRates } from './channel-cost.js';
import { catalogueOf } from './columns.js';
import { customersPart } from './customers-part.js';
import type { FactsPart, FactsSqlContext } from './facts-part.js';
import { finalSelectList } from './final-select.js';
import { interactionsPart } from './interactions-part.js';
import { planFactsLayout } from './layout.js';
import { referralsMadePart, referredByPart } from './referral-parts.js';
import { SourceTables } from './source-tables.js';
import { statusPart } from './status-part.js';
import { latestScoresPart, surveySummaryPart } from './survey-parts.js';
import { transactionsPart } from './transactions-part.js';
import type { FactsColumn, FactsOptions, FactsPlanKind } from './types.js';
import { ValueBinder } from './value-binder.js';

/** Staging tables of the shard-local plan are named with this prefix and a part number. */
export const STAGE_TABLE_PREFIX = '_customer_facts_stage';

/**
 * A part computed once over every shard and shipped to its customers' shards
 * before the facts are assembled (shard-local plan only).
 */
export interface StagedPart {
  /** A table placed by `customer_id`, created, filled and dropped by buildCustomerFacts. */
  table: string;
  columns: ColumnSpec[];
  /** Its rows, column for column: run as `INSERT INTO table (...) select` at the entry server. */
  select: string;
}

export interface CustomerFactsPlan {
  /** `entry`: `select` runs once and reads whole tables; `shard-local`: it runs on each shard over the shard's parts. */
  kind: FactsPlanKind;
  /** One SELECT yielding the rows of customer_facts (on a shard: that shard's customers). */
  select: string;
  /** Values bound by `select` (empty when the engine takes literals). */
  params: SqlParams;
  /** Filled before `select` runs; empty in the entry plan. */
  staged: StagedPart[];
  /** Shard-local passes: `select` runs once per bucket, with `FACTS_BUCKET_PARAM` = 0 .. buckets - 1. */
  buckets: number;
  columns: FactsColumn[];
  tablesUsed: CanonicalTableName[];
  tablesMissing: CanonicalTableName[];
}

/** The shard-local plan needs shards and a way to run a statement on each; elsewhere there is one plan. */
function planKind(engine: Engine, requested: FactsPlanKind | undefined): FactsPlanKind {
  if (!engine.capabilities.distributed || engine.execOnEachShard === undefined) return 'entry';
  return requested ?? 'shard-local';
}

/**
 * The SQL of `customer_facts` for the tables in the store, without running
 * it. Portable by construction: no window functions, no WITH, at most one
 * JOIN per SELECT, dialect methods for everything engine-specific.
 *
 * How data moves on a cluster (layout.ts: all of one customer's rows, in
 * every table placed by `customer_id`, sit on one shard):
 * - entry plan: the SELECT runs at the entry server; each part's subquery
 *   reads a Distributed table, so every shard ships its per-customer partial
 *   aggregates there, and all joins run there, on one server.
 * - shard-local plan: each shard runs the same SELECT over its own parts of
 *   the tables (`dialect.shardLocalTable`) and inserts into its own part of
 *   customer_facts, all shards in parallel; per-customer parts need nothing
 *   from another shard. A part that is not colocated (referrals: a referrer
 *   and the referred may sit on different shards, and referral rows are
 *   spread at random) is computed once at the entry server over every shard
 *   and inserted into a staging table placed by `customer_id`, which sends
 *   each aggregate row to its customer's shard; the shards then join their
 *   part of it like any other. Each such row crosses the network twice (to
 *   the entry server, then to its shard) instead of the whole aggregate
 *   going to every shard as a GLOBAL JOIN would send it.
 */
export async function planCustomerFacts(engine: Engine, options: FactsOptions): Promise<CustomerFactsPlan> {
  const { start, end } = parseAsOf(options.asOf);
  assertChannelRates(options.config);
  const kind = planKind(engine, options.plan);
  const d = engine.dialect;
  const tables = await SourceTables.discover(engine);
  const layout = planFactsLayout(options.config, tables.attributes());
  const buckets = kind === 'shard-local' ? (options.buckets ?? (await defaultBuckets(engine, tables.used))) : 1;
  if (!Number.isSafeInteger(buckets) || buckets < 1) throw new TypeError(`facts: buckets must be a positive integer, got ${buckets}`);
  // One bucket of a shard's customers: the same portable hash on every table, so a customer's rows meet in one pass.
  const idType = tables.typeOf('customers', 'customer_id') ?? 'string';
  const hash = (column: string): string => (idType === 'int32' || idType === 'int64' ? d.hashInteger(column) : d.hashString(column));
  const bucketed = (from: string): string =>
    buckets === 1 ? from : `(SELECT * FROM ${from} WHERE ${hash(d.quoteIdent('customer_id'))} % ${buckets} = $${FACTS_BUCKET_PARAM})`;
  const values = new ValueBinder(engine);
  const ctx: FactsSqlContext = {
    d,
    values,
    tables,
    config: options.config,
    layout,
    source: (table) => (kind === 'shard-local' ? bucketed(d.shardLocalTable(table)) : d.quoteIdent(table)),
    asOfStart: values.bind(start),
    asOfEnd: values.bind(end),
  };
  const base = customersPart(ctx);
  const computed = [
    transactionsPart(ctx),
    interactionsPart(ctx),
    surveySummaryPart(ctx),
    latestScoresPart(ctx),
    behavioursPart(ctx),
    referralsMadePart(ctx),
    referredByPart(ctx),
    statusPart(ctx),
  ];
  const staged: StagedPart[] = [];
  const parts = kind === 'entry' ? computed : computed.map((part, i) => stageUnlessColocated(ctx, part, `${STAGE_TABLE_PREFIX}${i}`, staged, bucketed));
  const columns = catalogueOf(layout, options.config.currency);
  const list = finalSelectList(ctx, [base, ...parts], columns);
  const select = `SELECT ${list.join(', ')} FROM (${joinParts(d, base, parts)}) AS ${d.quoteIdent('_facts')}`;
  return { kind, select, params: values.params, staged, buckets, columns, tablesUsed: tables.used, tablesMissing: tables.missing };
}

/** The parameter naming the bucket a shard-local pass builds. */
export const FACTS_BUCKET_PARAM = 'facts_bucket';

/** Rows of the largest table one pass of the shard-local build reads, over all shards. */
export const FACTS_BUCKET_ROWS = 8_000_000;

async function defaultBuckets(engine: Engine, tables: readonly CanonicalTableName[]): Promise<number> {
  let largest = 0;
  for (const table of tables) {
    const [row] = await engine.query<{ n: bigint }>(`SELECT count(*) AS ${engine.dialect.quoteIdent('n')} FROM ${engine.dialect.quoteIdent(table)}`);
    largest = Math.max(largest, Number(row?.n ?? 0n));
  }
  return Math.max(1, Math.ceil(largest / FACTS_BUCKET_ROWS));
}

/**
 * A part that is not colocated becomes a read of its staging table's shard
 * part; the staging table is placed like customers (same key type, so the
 * same hash puts a customer's staged row on the customer's shard).
 */
function stageUnlessColocated(ctx: FactsSqlContext, part: FactsPart, table: string, staged: StagedPart[], bucketed: (from: string) => string): FactsPart {
  if (part.sql === null || part.colocated !== false) return part;
  const { d } = ctx;
  const q = (name: string): string => d.quoteIdent(name);
  const columns: ColumnSpec[] = [
    { name: 'customer_id', type: ctx.tables.typeOf('customers', 'customer_id') ?? 'string', nullable: true },
    ...part.outputs.map((o) => ({ name: o.name, type: o.type, nullable: true })),
  ];
  // Cast to the staging table's types, so the insert converts nothing implicitly.
  const typed = columns.map((c) => `CAST(${q(c.name)} AS ${d.columnType(c.type, true)}) AS ${q(c.name)}`);
  staged.push({ table, columns, select: `SELECT ${typed.join(', ')} FROM (${part.sql}) AS ${q('_staged')}` });
  const names = columns.map((c) => q(c.name)).join(', ');
  return { ...part, sql: `SELECT ${names} FROM ${bucketed(d.shardLocalTable(table))}`, colocated: true };
}
