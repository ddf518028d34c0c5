import { periodConditions } from '../period-sql.js';
import { perCustomerJoin } from '../per-customer-join.js';
import { scopeQuery, scopeSelect } from '../scope-query.js';
import { numberOf, requiredNumber, SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import type { RankedSums, TopShareAggregates } from './concentration-math.js';

/**
 * Each in-scope customer's value, as expressions over customer_facts (and
 * the join a period needs): `money` in the exact money type, `x` as DOUBLE.
 */
export interface ValueSource {
  money: string;
  x: string;
  join?: string;
  values: SqlValues;
}

/**
 * Revenue after refunds per customer in scope: purchases + fees − refunds
 * (credits and costs are not revenue). From customer_facts up to as_of, or
 * from the transactions dated in the period; customers without any count as 0.
 */
export function revenueSource(ctx: AnalysisContext): ValueSource {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const values = new SqlValues(ctx.engine, 'v');
  if (ctx.period === null) {
    const money = `(${q('revenue')} + ${q('fees')} - ${q('refunds')})`;
    return { money, x: d.toDouble(money), values };
  }
  const amount = q('amount');
  const signed =
    `CASE WHEN ${q('kind')} IN (${values.bind('purchase')}, ${values.bind('fee')}) THEN ${amount} ` +
    `WHEN ${q('kind')} = ${values.bind('refund')} THEN 0 - ${amount} ELSE ${d.toMoney('0')} END`;
  // Co-located on a cluster: see perCustomerJoin.
  const join = perCustomerJoin(ctx, 'transactions', [`sum(${signed}) AS ${q('_pv')}`], periodConditions(ctx, values, q('at')), '_p');
  const money = d.toMoney(`COALESCE(${q('_pv')}, ${d.toMoney('0')})`);
  return { money, x: d.toDouble(money), join, values };
}

/** A query over the customers in scope and their value (`source.x`, `source.money`). */
function valueSelect(ctx: AnalysisContext, source: ValueSource, items: readonly string[]): string {
  return scopeSelect(ctx, { items, ...(source.join === undefined ? {} : { join: source.join }) });
}

export interface ValueTotals {
  n: number;
  total: number;
  sumSquares: number;
  negatives: number;
}

/** Customers, their total value (exact: summed as money), its sum of squares and how many are negative. */
export async function valueTotals(ctx: AnalysisContext, source: ValueSource): Promise<ValueTotals> {
  const q = ctx.engine.dialect.quoteIdent;
  const x = source.x;
  const items = [
    `count(*) AS ${q('_n')}`,
    `sum(${source.money}) AS ${q('_total')}`,
    `sum(${x} * ${x}) AS ${q('_ss')}`,
    `sum(CASE WHEN ${x} < 0 THEN 1 ELSE 0 END) AS ${q('_neg')}`,
  ];
  const [row] = await scopeQuery(ctx, valueSelect(ctx, source, items), source.values);
  return {
    n: requiredNumber(row?.['_n'], 'customers'),
    total: numberOf(row?.['_total']) ?? 0,
    sumSquares: numberOf(row?.['_ss']) ?? 0,
    negatives: numberOf(row?.['_neg']) ?? 0,
  };
}

/** Conditional sums below each threshold t: count and sum of x < t, and u = (x − t)·1(x ≤ t) terms. */
async function belowSums(ctx: AnalysisContext, source: ValueSource, thresholds: readonly number[]): Promise<Record<string, unknown>> {
  const q = ctx.engine.dialect.quoteIdent;
  const values = new SqlValues(ctx.engine, 't');
  const x = source.x;
  const items = thresholds.flatMap((t, j) => {
    const tt = values.bind(t);
    return [
      `sum(CASE WHEN ${x} < ${tt} THEN 1 ELSE 0 END) AS ${q(`_c${j}`)}`,
      `sum(CASE WHEN ${x} < ${tt} THEN ${x} ELSE 0 END) AS ${q(`_s${j}`)}`,
      `sum(CASE WHEN ${x} <= ${tt} THEN ${x} - ${tt} ELSE 0 END) AS ${q(`_u${j}`)}`,
      `sum(CASE WHEN ${x} <= ${tt} THEN (${x} - ${tt}) * (${x} - ${tt}) ELSE 0 END) AS ${q(`_uu${j}`)}`,
      `sum(CASE WHEN ${x} <= ${tt} THEN (${x} - ${tt}) * ${x} ELSE 0 END) AS ${q(`_ux${j}`)}`,
    ];
  });
  const [row] = await scopeQuery(ctx, valueSelect(ctx, source, items), source.values, values);
  return row ?? {};
}

/** Exact quantiles (type 1) of x at each p, one query. */
async function quantiles(ctx: AnalysisContext, source: ValueSource, ps: readonly number[]): Promise<number[]> {
  const d = ctx.engine.dialect;
  const items = ps.map((p, j) => `${d.quantileExact(source.x, p)} AS ${d.quoteIdent(`_q${j}`)}`);
  const [row] = await scopeQuery(ctx, valueSelect(ctx, source, items), source.values);
  return ps.map((_, j) => requiredNumber(row?.[`_q${j}`], `quantile ${j}`));
}

/**
 * Aggregates for the share of the top `round(n·fraction)` customers, for each
 * fraction. The threshold is x_(n−k), asked for at p = (n − k − ½)/n so that
 * the type-1 quantile's ceil(n·p) lands on n − k whatever the rounding.
 */
export async function topShareAggregates(ctx: AnalysisContext, source: ValueSource, totals: ValueTotals, fractions: readonly number[]): Promise<TopShareAggregates[]> {
  const ks = fractions.map((f) => Math.min(totals.n - 1, Math.max(1, Math.round(totals.n * f))));
  const thresholds = await quantiles(
    ctx,
    source,
    ks.map((k) => (totals.n - k - 0.5) / totals.n),
  );
  const row = await belowSums(ctx, source, thresholds);
  return ks.map((k, j) => ({
    n: totals.n,
    k,
    total: totals.total,
    sumSquares: totals.sumSquares,
    threshold: thresholds[j] ?? 0,
    belowCount: numberOf(row[`_c${j}`]) ?? 0,
    belowSum: numberOf(row[`_s${j}`]) ?? 0,
    uSum: numberOf(row[`_u${j}`]) ?? 0,
    uSumSquares: numberOf(row[`_uu${j}`]) ?? 0,
    uSumX: numberOf(row[`_ux${j}`]) ?? 0,
  }));
}

/**
 * Sums over customers ranked by value (`dialect.runningTotals`: position i
 * and the total a of the values before), for the exact Gini and its
 * variance; plus the value held by the bottom m customers for each m in
 * `cuts`. On a cluster every value goes to the entry server, which ranks them.
 */
export async function rankedSums(ctx: AnalysisContext, source: ValueSource, cuts: readonly number[]): Promise<{ sums: RankedSums; bottomSums: number[] }> {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const values = new SqlValues(ctx.engine, 'r');
  const ranked = d.runningTotals(valueSelect(ctx, source, [`${source.x} AS ${q('_x')}`]), '_x', { value: '_x', position: '_i', before: '_a' });
  const [x, i, a] = [q('_x'), q('_i'), q('_a')];
  const items = [
    `count(*) AS ${q('_n')}`,
    `sum(${x}) AS ${q('_total')}`,
    `sum(${x} * ${x}) AS ${q('_ss')}`,
    `sum(${a}) AS ${q('_sa')}`,
    `sum(${a} * ${a}) AS ${q('_saa')}`,
    `sum(${x} * ${i}) AS ${q('_sxi')}`,
    `sum(${x} * ${i} * ${x} * ${i}) AS ${q('_sxixi')}`,
    `sum(${x} * ${a}) AS ${q('_sxa')}`,
    `sum(${x} * ${x} * ${i}) AS ${q('_sxxi')}`,
    `sum(${a} * ${x} * ${i}) AS ${q('_saxi')}`,
    ...cuts.map((m, j) => `sum(CASE WHEN ${i} <= ${values.bind(m)} THEN ${x} ELSE 0 END) AS ${q(`_b${j}`)}`),
  ];
  const [row] = await scopeQuery(ctx, `SELECT ${items.join(', ')} FROM ${ranked} AS ${q('_w')}`, source.values, values);
  const get = (k: string): number => numberOf(row?.[`_${k}`]) ?? 0;
  return {
    sums: {
      n: get('n'),
      total: get('total'),
      sumSquares: get('ss'),
      sumA: get('sa'),
      sumAA: get('saa'),
      sumXI: get('sxi'),
      sumXIXI: get('sxixi'),
      sumXA: get('sxa'),
      sumXXI: get('sxxi'),
      sumAXI: get('saxi'),
    },
    bottomSums: cuts.map((_, j) => get(`b${j}`)),
  };
}
