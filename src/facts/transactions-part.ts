import type { FactsPart, FactsSqlContext } from './facts-part.js';
import { out } from './facts-part.js';

export const TX = {
  revenue: '_t_revenue',
  fees: '_t_fees',
  refunds: '_t_refunds',
  credits: '_t_credits',
  costOfGoods: '_t_cost_of_goods',
  count: '_t_count',
  purchases: '_t_purchases',
  purchaseDays: '_t_purchase_days',
  firstPurchaseAt: '_t_first_purchase_at',
  lastPurchaseAt: '_t_last_purchase_at',
  fee: (i: number): string => `_t_fee${i}`,
} as const;

/**
 * Money sums, counts and purchase days from transactions. Rows are first
 * grouped per customer and day: purchase days are then a plain count of days
 * with a purchase, which is cheaper than count(DISTINCT day) and needs no
 * window function.
 */
export function transactionsPart(ctx: FactsSqlContext): FactsPart {
  const { d, values, layout } = ctx;
  const outputs = [
    out(TX.revenue, 'money'),
    out(TX.fees, 'money'),
    out(TX.refunds, 'money'),
    out(TX.credits, 'money'),
    out(TX.costOfGoods, 'money'),
    ...layout.fees.map((_, i) => out(TX.fee(i), 'money')),
    out(TX.count, 'int64'),
    out(TX.purchases, 'int64'),
    out(TX.purchaseDays, 'int64'),
    out(TX.firstPurchaseAt, 'timestamp'),
    out(TX.lastPurchaseAt, 'timestamp'),
  ];
  if (!ctx.tables.has('transactions')) return { table: 'transactions', outputs, sql: null };

  const q = (name: string): string => d.quoteIdent(name);
  const col = (name: string): string => ctx.tables.column('transactions', name);
  const at = col('at');
  const kindIs = (kind: string): string => `${col('kind')} = ${values.bind(kind)}`;
  const amountWhen = (cond: string): string => `sum(CASE WHEN ${cond} THEN ${col('amount')} ELSE NULL END)`;
  const isPurchase = kindIs('purchase');

  const daily = [
    q('customer_id'),
    `${amountWhen(isPurchase)} AS ${q('_d_revenue')}`,
    `${amountWhen(kindIs('fee'))} AS ${q('_d_fees')}`,
    `${amountWhen(kindIs('refund'))} AS ${q('_d_refunds')}`,
    `${amountWhen(kindIs('credit'))} AS ${q('_d_credits')}`,
    `sum(${col('cost')}) AS ${q('_d_cost')}`,
    ...layout.fees.map((fee, i) => `${amountWhen(`${kindIs('fee')} AND ${col('category')} = ${values.bind(fee.category)}`)} AS ${q(`_d_fee${i}`)}`),
    `count(*) AS ${q('_d_count')}`,
    `sum(CASE WHEN ${isPurchase} THEN 1 ELSE 0 END) AS ${q('_d_purchases')}`,
    `min(CASE WHEN ${isPurchase} THEN ${at} ELSE NULL END) AS ${q('_d_first')}`,
    `max(CASE WHEN ${isPurchase} THEN ${at} ELSE NULL END) AS ${q('_d_last')}`,
  ];
  const dailySql =
    `SELECT ${daily.join(', ')} FROM ${ctx.source('transactions')} WHERE ${at} < ${ctx.asOfEnd} ` +
    `GROUP BY ${col('customer_id')}, ${d.dateTrunc('day', at)}`;

  const total = [
    q('customer_id'),
    `sum(${q('_d_revenue')}) AS ${q(TX.revenue)}`,
    `sum(${q('_d_fees')}) AS ${q(TX.fees)}`,
    `sum(${q('_d_refunds')}) AS ${q(TX.refunds)}`,
    `sum(${q('_d_credits')}) AS ${q(TX.credits)}`,
    `sum(${q('_d_cost')}) AS ${q(TX.costOfGoods)}`,
    ...layout.fees.map((_, i) => `sum(${q(`_d_fee${i}`)}) AS ${q(TX.fee(i))}`),
    `sum(${q('_d_count')}) AS ${q(TX.count)}`,
    `sum(${q('_d_purchases')}) AS ${q(TX.purchases)}`,
    `sum(CASE WHEN ${q('_d_purchases')} > 0 THEN 1 ELSE 0 END) AS ${q(TX.purchaseDays)}`,
    `min(${q('_d_first')}) AS ${q(TX.firstPurchaseAt)}`,
    `max(${q('_d_last')}) AS ${q(TX.lastPurchaseAt)}`,
  ];
  const sql = `SELECT ${total.join(', ')} FROM (${dailySql}) AS ${q('_daily')} GROUP BY ${q('customer_id')}`;
  return { table: 'transactions', outputs, sql };
}
