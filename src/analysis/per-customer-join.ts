import type { CanonicalTableName } from '../model/tables.js';
import type { AnalysisContext } from './types.js';

/**
 * `LEFT JOIN (SELECT customer_id, <items> FROM <table> WHERE <conditions>
 * GROUP BY customer_id) AS <alias> USING (customer_id)`: events of one table
 * (interactions, transactions, survey answers) summed per customer, for
 * `scopeSelect`'s `join`. Customers without events get NULLs (COALESCE them).
 * Item aliases start with `_`, like every alias next to customer_facts.
 *
 * How data moves on a cluster: co-located, nothing crosses shards. The
 * statement reads customer_facts directly, so the Distributed table sends it
 * whole to every shard, and there `dialect.shardLocalTable` names the shard's
 * own part of the event table. That is exact because every table placed by
 * `customer_id` puts all of a customer's rows on the shard of its portable
 * hash (clickhouse/layout.ts), customer_facts included: each customer meets
 * all of its events on its own shard. A GLOBAL JOIN would be exact too but
 * would ship the whole per-customer aggregate to every shard for each query;
 * a plain join of two Distributed tables is refused (each shard would read
 * every shard). Elsewhere (one server) the table is itself.
 *
 * The join is by `USING`: after the Distributed rewrite a shard no longer
 * knows customer_facts by an alias, so a qualified `f.customer_id` would not resolve.
 */
export function perCustomerJoin(
  ctx: Pick<AnalysisContext, 'engine'>,
  table: CanonicalTableName,
  items: readonly string[],
  conditions: readonly string[],
  alias: string,
  keys: readonly string[] = [],
): string {
  const d = ctx.engine.dialect;
  return `LEFT JOIN ${perCustomerSubquery(ctx, table, items, conditions, keys)} AS ${d.quoteIdent(alias)} USING (${d.quoteIdent('customer_id')})`;
}

/**
 * The parenthesised right side of perCustomerJoin, for nesting. `keys` group
 * further than by customer, so it can hold several rows per customer (one
 * per survey response, per event name, per instrument and area).
 */
export function perCustomerSubquery(ctx: Pick<AnalysisContext, 'engine'>, table: CanonicalTableName, items: readonly string[], conditions: readonly string[], keys: readonly string[] = []): string {
  const d = ctx.engine.dialect;
  const id = d.quoteIdent('customer_id');
  const where = conditions.length === 0 ? '' : ` WHERE ${conditions.join(' AND ')}`;
  return `(SELECT ${id}, ${items.join(', ')} FROM ${d.shardLocalTable(table)}${where} GROUP BY ${[id, ...keys].join(', ')})`;
}
