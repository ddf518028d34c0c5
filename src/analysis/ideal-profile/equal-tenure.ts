import { interactionCost } from '../../facts/channel-cost.js';
import { CUSTOMER_FACTS_TABLE } from '../../facts/index.js';
import { ValueBinder } from '../../facts/value-binder.js';
import { INTERACTION_CHANNELS } from '../../model/tables.js';
import { hasRows } from '../needs.js';
import type { SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import { costContext } from '../value/period-measures.js';

/** Days in a customer's first year (the equal-tenure window). */
export const FIRST_YEAR_DAYS = 365;

/** Each customer's net value over its first year, as SQL for scopeSelect. */
export interface EqualTenureValue {
  join: string;
  /** Net value over the first FIRST_YEAR_DAYS days from the start (DOUBLE, 0 without events). */
  value: string;
  /** The customer started (signup, else first purchase) at least FIRST_YEAR_DAYS days before the end of the history. */
  eligible: string[];
  /** Parameters of the interaction cost rates. */
  params: Record<string, never>;
}

/**
 * Net value over each customer's first 365 days (purchases and fees less
 * refunds, credits and cost of goods, less the cost to serve of the contacts
 * in those days), among customers with a whole first year before `end`: the
 * comparison at equal tenure, where young customers are not penalised for
 * their age (the simulator's truth measures the ideal segment's lift the same
 * way). One co-located per-customer aggregate: each branch meets the
 * customer's start on its own shard (as lifetime-value's histories do).
 */
export async function equalTenureValue(ctx: AnalysisContext, values: SqlValues, end: Date): Promise<EqualTenureValue | null> {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const stored = new Set(ctx.facts.columns.map((c) => c.name));
  const starts = ['signup_at', 'first_purchase_at'].filter((c) => stored.has(c)).map(q);
  if (starts.length === 0 || !hasRows(ctx, 'transactions')) return null;
  const start = starts.length === 1 ? (starts[0] as string) : `COALESCE(${starts.join(', ')})`;
  const binder = new ValueBinder(ctx.engine);
  const facts = await costContext(ctx, binder);
  const zero = d.toMoney('0');
  const st = q('_st');
  const startOf = `(SELECT ${q('customer_id')}, ${start} AS ${st} FROM ${d.shardLocalTable(CUSTOMER_FACTS_TABLE)})`;
  const inYear = (at: string): string => `${at} >= ${st} AND ${at} < ${d.addDays(st, FIRST_YEAR_DAYS)}`;
  const branches: string[] = [];
  {
    const col = (name: string): string => facts.tables.column('transactions', name);
    const kind = col('kind');
    const signed =
      `(CASE WHEN ${kind} = ${values.bind('purchase')} OR ${kind} = ${values.bind('fee')} THEN ${col('amount')} ` +
      `WHEN ${kind} = ${values.bind('refund')} OR ${kind} = ${values.bind('credit')} THEN -${col('amount')} ELSE ${zero} END - COALESCE(${col('cost')}, ${zero}))`;
    branches.push(`SELECT ${q('customer_id')}, ${d.toMoney(signed)} AS ${q('_ev')} FROM ${d.shardLocalTable('transactions')} INNER JOIN ${startOf} AS ${q('_s1')} USING (${q('customer_id')}) WHERE ${inYear(col('at'))}`);
  }
  if (hasRows(ctx, 'interactions')) {
    const col = (name: string): string => facts.tables.column('interactions', name);
    const channel = col('channel');
    const cost = `CASE ${INTERACTION_CHANNELS.map((ch) => `WHEN ${channel} = ${values.bind(ch)} THEN ${interactionCost(facts, ch)}`).join(' ')} ELSE ${interactionCost(facts, 'default')} END`;
    branches.push(`SELECT ${q('customer_id')}, ${d.toMoney(`-(${cost})`)} AS ${q('_ev')} FROM ${d.shardLocalTable('interactions')} INNER JOIN ${startOf} AS ${q('_s2')} USING (${q('customer_id')}) WHERE ${inYear(col('at'))}`);
  }
  // A join alias of its own: on ClickHouse a SELECT item aliased like it (`_e` is common) would capture it.
  const join = `LEFT JOIN (SELECT ${q('customer_id')}, sum(${q('_ev')}) AS ${q('_et')} FROM (${branches.join(' UNION ALL ')}) AS ${q('_eu')} GROUP BY ${q('customer_id')}) AS ${q('_equal_tenure')} USING (${q('customer_id')})`;
  const lastStart = new Date(end.getTime() - FIRST_YEAR_DAYS * 86_400_000);
  return {
    join,
    value: d.toDouble(`COALESCE(${q('_et')}, ${zero})`),
    eligible: [`${start} IS NOT NULL`, `${start} <= ${values.bind(lastStart)}`],
    params: binder.params as Record<string, never>,
  };
}
