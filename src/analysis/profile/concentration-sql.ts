import { periodConditions } from '../period-sql.js';
import { scopeQuery } from '../scope-query.js';
import { numberOf, requiredNumber, SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import type { RankedSums, TopShareAggregates, ValueGroup } from './concentration-math.js';

/** Customers' value as a FROM source `v` with columns cid and x (DOUBLE), and its parameters. */
export interface ValueSource {
  from: string;
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
    const x = d.toDouble(`${q('revenue')} + ${q('fees')} - ${q('refunds')}`);
    return { from: `(SELECT ${q('customer_id')} AS ${q('cid')}, ${x} AS ${q('x')} FROM ${ctx.scope.from('f')}) AS ${q('v')}`, values };
  }
  const amount = q('amount');
  const signed =
    `CASE WHEN ${q('kind')} IN (${values.bind('purchase')}, ${values.bind('fee')}) THEN ${d.toDouble(amount)} ` +
    `WHEN ${q('kind')} = ${values.bind('refund')} THEN 0 - ${d.toDouble(amount)} ELSE ${d.toDouble('0')} END`;
  const perCustomer =
    `(SELECT ${q('customer_id')} AS ${q('pv_id')}, sum(${signed}) AS ${q('pv')} FROM ${q('transactions')} ` +
    `WHERE ${periodConditions(ctx, values, q('at')).join(' AND ')} GROUP BY ${q('customer_id')}) AS ${q('p')}`;
  return {
    from:
      `(SELECT ${q('f')}.${q('customer_id')} AS ${q('cid')}, COALESCE(${q('p')}.${q('pv')}, ${d.toDouble('0')}) AS ${q('x')} ` +
      `FROM ${ctx.scope.from('f')} LEFT JOIN ${perCustomer} ON ${q('f')}.${q('customer_id')} = ${q('p')}.${q('pv_id')}) AS ${q('v')}`,
    values,
  };
}

export interface ValueTotals {
  n: number;
  total: number;
  sumSquares: number;
  negatives: number;
}

export async function valueTotals(ctx: AnalysisContext, source: ValueSource): Promise<ValueTotals> {
  const q = ctx.engine.dialect.quoteIdent;
  const [row] = await scopeQuery(
    ctx,
    `SELECT count(*) AS ${q('n')}, sum(${q('x')}) AS ${q('total')}, sum(${q('x')} * ${q('x')}) AS ${q('ss')}, ` +
      `sum(CASE WHEN ${q('x')} < 0 THEN 1 ELSE 0 END) AS ${q('neg')} FROM ${source.from}`,
    source.values,
  );
  return {
    n: requiredNumber(row?.['n'], 'customers'),
    total: numberOf(row?.['total']) ?? 0,
    sumSquares: numberOf(row?.['ss']) ?? 0,
    negatives: numberOf(row?.['neg']) ?? 0,
  };
}

/** Conditional sums below each threshold t: count and sum of x < t, sum of squares, and u = (x − t)·1(x ≤ t) terms. */
async function belowSums(ctx: AnalysisContext, source: ValueSource, thresholds: readonly number[], withU: boolean): Promise<Record<string, unknown>> {
  const q = ctx.engine.dialect.quoteIdent;
  const values = new SqlValues(ctx.engine, 't');
  const x = q('x');
  const items = thresholds.flatMap((t, j) => {
    const tt = values.bind(t);
    const base = [
      `sum(CASE WHEN ${x} < ${tt} THEN 1 ELSE 0 END) AS ${q(`c${j}`)}`,
      `sum(CASE WHEN ${x} < ${tt} THEN ${x} ELSE 0 END) AS ${q(`s${j}`)}`,
      `sum(CASE WHEN ${x} < ${tt} THEN ${x} * ${x} ELSE 0 END) AS ${q(`ss${j}`)}`,
    ];
    if (!withU) return base;
    return [
      ...base,
      `sum(CASE WHEN ${x} <= ${tt} THEN ${x} - ${tt} ELSE 0 END) AS ${q(`u${j}`)}`,
      `sum(CASE WHEN ${x} <= ${tt} THEN (${x} - ${tt}) * (${x} - ${tt}) ELSE 0 END) AS ${q(`uu${j}`)}`,
      `sum(CASE WHEN ${x} <= ${tt} THEN (${x} - ${tt}) * ${x} ELSE 0 END) AS ${q(`ux${j}`)}`,
    ];
  });
  const [row] = await scopeQuery(ctx, `SELECT ${items.join(', ')} FROM ${source.from}`, source.values, values);
  return row ?? {};
}

/** Exact quantiles (type 1) of x at each p, one query. */
async function quantiles(ctx: AnalysisContext, source: ValueSource, ps: readonly number[]): Promise<number[]> {
  const d = ctx.engine.dialect;
  const items = ps.map((p, j) => `${d.quantileExact(d.quoteIdent('x'), p)} AS ${d.quoteIdent(`q${j}`)}`);
  const [row] = await scopeQuery(ctx, `SELECT ${items.join(', ')} FROM ${source.from}`, source.values);
  return ps.map((_, j) => requiredNumber(row?.[`q${j}`], `quantile ${j}`));
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
  const row = await belowSums(ctx, source, thresholds, true);
  return ks.map((k, j) => ({
    n: totals.n,
    k,
    total: totals.total,
    sumSquares: totals.sumSquares,
    threshold: thresholds[j] ?? 0,
    belowCount: numberOf(row[`c${j}`]) ?? 0,
    belowSum: numberOf(row[`s${j}`]) ?? 0,
    uSum: numberOf(row[`u${j}`]) ?? 0,
    uSumSquares: numberOf(row[`uu${j}`]) ?? 0,
    uSumX: numberOf(row[`ux${j}`]) ?? 0,
  }));
}

/**
 * Sums over customers ranked by value (window functions), for the exact
 * Gini; plus the value held by the bottom m customers for each m in `cuts`.
 * Ties are ordered by customer id so both windows agree.
 */
export async function rankedSums(ctx: AnalysisContext, source: ValueSource, cuts: readonly number[]): Promise<{ sums: RankedSums; bottomSums: number[] }> {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const values = new SqlValues(ctx.engine, 'r');
  const order = `ORDER BY ${q('x')}, ${q('cid')}`;
  const ranked =
    `(SELECT ${q('x')}, ${d.toDouble(`row_number() OVER (${order})`)} AS ${q('i')}, ` +
    `sum(${q('x')}) OVER (${order} ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) - ${q('x')} AS ${q('a')} FROM ${source.from}) AS ${q('w')}`;
  const [x, i, a] = [q('x'), q('i'), q('a')];
  const items = [
    `count(*) AS ${q('n')}`,
    `sum(${x}) AS ${q('total')}`,
    `sum(${x} * ${x}) AS ${q('ss')}`,
    `sum(${a}) AS ${q('sa')}`,
    `sum(${a} * ${a}) AS ${q('saa')}`,
    `sum(${x} * ${i}) AS ${q('sxi')}`,
    `sum(${x} * ${i} * ${x} * ${i}) AS ${q('sxixi')}`,
    `sum(${x} * ${a}) AS ${q('sxa')}`,
    `sum(${x} * ${x} * ${i}) AS ${q('sxxi')}`,
    `sum(${a} * ${x} * ${i}) AS ${q('saxi')}`,
    ...cuts.map((m, j) => `sum(CASE WHEN ${i} <= ${values.bind(m)} THEN ${x} ELSE 0 END) AS ${q(`b${j}`)}`),
  ];
  const [row] = await scopeQuery(ctx, `SELECT ${items.join(', ')} FROM ${ranked}`, source.values, values);
  const get = (k: string): number => numberOf(row?.[k]) ?? 0;
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

/**
 * Consecutive value groups cut at the exact percentiles (for engines
 * without window functions): group j holds t_{j−1} ≤ x < t_j. Tied values
 * never straddle a cut, so every boundary is an exact point of the Lorenz curve.
 */
export async function valueGroups(ctx: AnalysisContext, source: ValueSource, totals: ValueTotals, groups = 100): Promise<ValueGroup[]> {
  const ps = Array.from({ length: groups - 1 }, (_, j) => (j + 1) / groups);
  const cuts = [...new Set(await quantiles(ctx, source, ps))].sort((a, b) => a - b);
  const row = await belowSums(ctx, source, cuts, false);
  const out: ValueGroup[] = [];
  let prev = { n: 0, sum: 0, sumSquares: 0 };
  cuts.forEach((_, j) => {
    const cum = { n: numberOf(row[`c${j}`]) ?? 0, sum: numberOf(row[`s${j}`]) ?? 0, sumSquares: numberOf(row[`ss${j}`]) ?? 0 };
    out.push({ n: cum.n - prev.n, sum: cum.sum - prev.sum, sumSquares: cum.sumSquares - prev.sumSquares });
    prev = cum;
  });
  out.push({ n: totals.n - prev.n, sum: totals.total - prev.sum, sumSquares: totals.sumSquares - prev.sumSquares });
  return out.filter((g) => g.n > 0);
}
