import type { CanonicalTableName } from '../../model/tables.js';
import type { AnalysisContext } from '../types.js';

/**
 * `LEFT JOIN (SELECT customer_id, <items> FROM <table's shard part> WHERE
 * <conditions> GROUP BY customer_id, <keys>) AS <alias> USING (customer_id)`:
 * perCustomerJoin with more grouping keys, so the right side can hold
 * several rows per customer (one per survey response, or per instrument and
 * area). Co-located on a cluster as perCustomerJoin explains: every customer
 * meets its own events on its own shard, and nothing crosses shards. Item
 * aliases start with `_`, like every alias next to customer_facts.
 */
export function eventJoin(
  ctx: Pick<AnalysisContext, 'engine'>,
  table: CanonicalTableName,
  items: readonly string[],
  conditions: readonly string[],
  alias: string,
  keys: readonly string[] = [],
): string {
  return `LEFT JOIN ${eventSubquery(ctx, table, items, conditions, keys)} AS ${ctx.engine.dialect.quoteIdent(alias)} USING (${ctx.engine.dialect.quoteIdent('customer_id')})`;
}

/** The parenthesised right side of eventJoin, for nesting. */
export function eventSubquery(ctx: Pick<AnalysisContext, 'engine'>, table: CanonicalTableName, items: readonly string[], conditions: readonly string[], keys: readonly string[] = []): string {
  const d = ctx.engine.dialect;
  const id = d.quoteIdent('customer_id');
  const where = conditions.length === 0 ? '' : ` WHERE ${conditions.join(' AND ')}`;
  return `(SELECT ${id}, ${items.join(', ')} FROM ${d.shardLocalTable(table)}${where} GROUP BY ${[id, ...keys].join(', ')})`;
}
