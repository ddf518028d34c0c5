import { periodConditions } from '../period-sql.js';
import type { SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';

/**
 * A referral pair is a referred customer and its referrer: customer_facts'
 * `referred_by` (from the referrals table, or a referred-by column fed into
 * it; the smallest referrer id when several claim one customer). A pair is
 * in scope when its referrer is: the segment rule describes who refers, and
 * the customers they bring may lie outside it. With a period, a pair counts
 * when the referred customer signed up in it.
 */
export function referredConditions(ctx: AnalysisContext, values: SqlValues): string[] {
  const q = ctx.engine.dialect.quoteIdent;
  return [`${q('referred_by')} IS NOT NULL`, ...(ctx.period === null ? [] : [`${q('signup_at')} IS NOT NULL`, ...periodConditions(ctx, values, q('signup_at'))])];
}

/**
 * `<join> (SELECT referred_by AS customer_id, <items> FROM customer_facts
 * WHERE <referred> GROUP BY referred_by) AS _b USING (customer_id)`: what
 * each referrer brought (items aggregate the referred customers' rows; their
 * aliases start with `_b`), joined to the referrer's own row.
 *
 * How data moves on a cluster: a referrer and the customers it brought sit
 * on different shards (each customer on the shard of its own id), so this
 * cannot be co-located. `dialect.globalJoin` runs the right side once over
 * every shard (each shard sums its referred customers by referrer, the entry
 * server merges), and ships the result, one narrow row per referrer, to
 * every shard, where it meets the referrers' rows; the outer aggregate is
 * then merged as usual. Elsewhere it is an ordinary join.
 *
 * `INNER` keeps referrers who brought someone; `LEFT` keeps every customer
 * (the items are then NULL, or 0 on ClickHouse: COALESCE them).
 */
export function broughtJoin(ctx: AnalysisContext, values: SqlValues, items: readonly string[], kind: 'INNER' | 'LEFT'): string {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const where = referredConditions(ctx, values).join(' AND ');
  return (
    `${d.globalJoin(kind)} (SELECT ${q('referred_by')} AS ${q('customer_id')}, ${items.join(', ')} FROM ${ctx.scope.table} WHERE ${where} GROUP BY ${q('referred_by')}) ` +
    `AS ${q('_b')} USING (${q('customer_id')})`
  );
}

/**
 * The context of a comparison between customers (referred or not, referrers
 * or not): the customers in scope, and with a period those who signed up in
 * it, so a period compares the customers acquired in it.
 */
export function cohortContext(ctx: AnalysisContext, values: SqlValues): AnalysisContext {
  if (ctx.period === null) return ctx;
  const q = ctx.engine.dialect.quoteIdent;
  const where = [ctx.scope.where, `${q('signup_at')} IS NOT NULL`, ...periodConditions(ctx, values, q('signup_at'))].join(' AND ');
  return { ...ctx, scope: { ...ctx.scope, where } };
}
