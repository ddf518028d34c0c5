import { interactionCost } from '../../facts/channel-cost.js';
import type { FactsSqlContext } from '../../facts/facts-part.js';
import { CUSTOMER_FACTS_TABLE } from '../../facts/index.js';
import { planFactsLayout } from '../../facts/layout.js';
import { SourceTables } from '../../facts/source-tables.js';
import { ValueBinder } from '../../facts/value-binder.js';
import type { SqlParams } from '../../engine/types.js';
import { INTERACTION_CHANNELS } from '../../model/tables.js';
import { hasRows } from '../needs.js';
import type { SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import { signedAmountSql } from '../signed-amount.js';

/**
 * Net value over each customer's first `days` days: what every customer
 * brought over the same length of tenure, so a referrer who joined years
 * ago and a customer it brought last year compare on equal terms.
 */
export interface EarlyValue {
  days: number;
  /** A per-customer join for `scopeSelect` (co-located: see perCustomerJoin). */
  join: string;
  /** The customer's early net value in the exact money type (0 without events in the window). */
  value: string;
  /** The customer had `days` days of tenure by as_of (signed up at least that long before its end). */
  eligible: string;
  /** Parameters of the join's cost rates, besides `values`. */
  params: SqlParams;
}

/**
 * The early value of every customer: transactions (purchases and fees
 * less refunds, credits and cost of goods) and interactions (costed by the
 * same rule as customer_facts' cost to serve) dated from signup to signup +
 * `days`, summed per customer. The window needs each customer's signup, so
 * the events meet customer_facts' shard-local part in the join's own
 * subquery: every row involved belongs to one customer and sits on its
 * shard, so nothing crosses shards. Null without transactions.
 */
export async function earlyValue(ctx: AnalysisContext, values: SqlValues, days: number): Promise<EarlyValue | null> {
  if (!hasRows(ctx, 'transactions')) return null;
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const binder = new ValueBinder(ctx.engine);
  const tables = await SourceTables.discover(ctx.engine);
  const asOfEnd = new Date(Date.parse(`${ctx.asOf}T00:00:00Z`) + 86_400_000);
  const facts: FactsSqlContext = {
    d,
    values: binder,
    tables,
    config: ctx.config,
    layout: planFactsLayout(ctx.config, tables.attributes()),
    source: (table) => d.shardLocalTable(table),
    asOfStart: binder.bind(new Date(Date.parse(`${ctx.asOf}T00:00:00Z`))),
    asOfEnd: binder.bind(asOfEnd),
  };
  const zero = d.toMoney('0');
  const id = q('customer_id');
  const branches: string[] = [];
  {
    const col = (name: string): string => tables.column('transactions', name);
    const signed = signedAmountSql(values, col('kind'), col('amount'), zero);
    branches.push(`SELECT ${id}, ${col('at')} AS ${q('_at')}, ${d.toMoney(`${d.toMoney(`COALESCE(${signed}, ${zero})`)} - ${d.toMoney(`COALESCE(${col('cost')}, ${zero})`)}`)} AS ${q('_x')} FROM ${d.shardLocalTable('transactions')}`);
  }
  if (hasRows(ctx, 'interactions')) {
    const col = (name: string): string => tables.column('interactions', name);
    const isChannel = (i: number): string => `${col('channel')} = ${values.bind(INTERACTION_CHANNELS[i] ?? 'other')}`;
    const cost = `CASE ${INTERACTION_CHANNELS.map((ch, i) => `WHEN ${isChannel(i)} THEN ${interactionCost(facts, ch)}`).join(' ')} ELSE ${interactionCost(facts, 'default')} END`;
    branches.push(`SELECT ${id}, ${col('at')} AS ${q('_at')}, ${d.toMoney(`${zero} - ${d.toMoney(`COALESCE(${cost}, ${zero})`)}`)} AS ${q('_x')} FROM ${d.shardLocalTable('interactions')}`);
  }
  const signups = `(SELECT ${id}, ${q('signup_at')} AS ${q('_s')} FROM ${d.shardLocalTable(CUSTOMER_FACTS_TABLE)} WHERE ${q('signup_at')} IS NOT NULL)`;
  const window = `${q('_at')} >= ${q('_s')} AND ${q('_at')} < ${d.addDays(q('_s'), days)}`;
  const perCustomer =
    `(SELECT ${id}, sum(${q('_x')}) AS ${q('_ev')} FROM (${branches.join(' UNION ALL ')}) AS ${q('_e')} ` +
    `INNER JOIN ${signups} AS ${q('_c')} USING (${id}) WHERE ${window} GROUP BY ${id})`;
  return {
    days,
    join: `LEFT JOIN ${perCustomer} AS ${q('_w')} USING (${id})`,
    value: d.toMoney(`COALESCE(${q('_ev')}, ${zero})`),
    eligible: `${q('signup_at')} IS NOT NULL AND ${q('signup_at')} < ${values.bind(new Date(asOfEnd.getTime() - days * 86_400_000))}`,
    params: binder.params,
  };
}
