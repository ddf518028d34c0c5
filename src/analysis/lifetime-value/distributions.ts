import type { RowValue } from '../../engine/types.js';
import { profileGroupings } from '../profile/groupings.js';
import { scopeQuery, scopeSelect } from '../scope-query.js';
import { numberOf, requiredNumber, SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import { H } from './histories.js';
import { S } from './score-sql.js';
import type { LifetimeValueModel } from './scores.js';

/** Bins of one per-customer measure: `edges[i]` is the lower edge of bin i (the first is open below, the last above). */
export interface Bins {
  edges: number[];
  counts: number[];
}

export interface MeasureTotals {
  n: number;
  sum: number;
  sumSquares: number;
}

export interface Distributions {
  pAlive: Bins;
  expectedPurchases: Bins;
  /** Null without a spend model. */
  lifetimeValue: Bins | null;
  totals: { pAlive: MeasureTotals; expectedPurchases: MeasureTotals; lifetimeValue: MeasureTotals | null };
}

export interface GroupValue {
  grouping: string;
  level: string;
  n: number;
  lifetimeValue: MeasureTotals | null;
  pAliveSum: number;
  expectedPurchasesSum: number;
}

export interface TopCustomer {
  customerId: string;
  x: number;
  txDays: number;
  TDays: number;
  repeatSpend: number | null;
  pAlive: number;
  expectedPurchases: number;
  lifetimeValue: number | null;
}

/** Edges 0, then 1-2-5 steps from about a thousandth of `max` until one passes it. */
export function niceEdges(max: number): number[] {
  if (!(max > 0) || !Number.isFinite(max)) return [0];
  const edges = [0];
  let power = 10 ** Math.floor(Math.log10(max / 500));
  for (;;) {
    for (const step of [1, 2, 5]) {
      const edge = step * power;
      if (edge > edges[edges.length - 1]!) edges.push(Number(edge.toPrecision(12)));
      if (edge > max) return edges;
    }
    power *= 10;
  }
}

function binSql(expr: string, edges: readonly number[], values: SqlValues): string {
  if (edges.length <= 1) return '0';
  const whens = edges.slice(1).map((edge, i) => `WHEN ${expr} < ${values.bind(edge)} THEN ${i}`);
  return `(CASE ${whens.join(' ')} ELSE ${edges.length - 1} END)`;
}

const totals = (): MeasureTotals => ({ n: 0, sum: 0, sumSquares: 0 });

/**
 * The distributions of P(alive), expected purchases and lifetime value over
 * the customers in scope, in one GROUP BY of their joint bins (merged here
 * into one histogram each), computed in the engine from the per-customer SQL.
 */
export async function scoreDistributions(ctx: AnalysisContext, model: LifetimeValueModel, edges: { expectedPurchases: number[]; lifetimeValue: number[] | null }): Promise<Distributions> {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const values = new SqlValues(ctx.engine, 'ld');
  const pa = q(S.pAlive);
  const ep = q(S.expectedPurchases);
  const lv = q(S.lifetimeValue);
  const withValue = edges.lifetimeValue !== null;
  const pAliveEdges = Array.from({ length: 10 }, (_, i) => i / 10);
  const items = [
    `${binSql(pa, pAliveEdges, values)} AS ${q('_bp')}`,
    `${binSql(ep, edges.expectedPurchases, values)} AS ${q('_be')}`,
    `${withValue ? binSql(lv, edges.lifetimeValue ?? [], values) : '0'} AS ${q('_bv')}`,
    `count(*) AS ${q('_n')}`,
    `sum(${pa}) AS ${q('_sp')}`,
    `sum(${pa} * ${pa}) AS ${q('_qp')}`,
    `sum(${ep}) AS ${q('_se')}`,
    `sum(${ep} * ${ep}) AS ${q('_qe')}`,
    `sum(${withValue ? lv : '0'}) AS ${q('_sv')}`,
    `sum(${withValue ? `${lv} * ${lv}` : '0'}) AS ${q('_qv')}`,
  ];
  const rows = await scopeQuery<Record<string, RowValue>>(
    ctx,
    scopeSelect(ctx, { items, join: model.sql.join, where: [model.sql.scored], groupBy: [q('_bp'), q('_be'), q('_bv')] }),
    model.histories.values,
    values,
  );
  const out: Distributions = {
    pAlive: { edges: pAliveEdges, counts: pAliveEdges.map(() => 0) },
    expectedPurchases: { edges: edges.expectedPurchases, counts: edges.expectedPurchases.map(() => 0) },
    lifetimeValue: withValue ? { edges: edges.lifetimeValue ?? [], counts: (edges.lifetimeValue ?? []).map(() => 0) } : null,
    totals: { pAlive: totals(), expectedPurchases: totals(), lifetimeValue: withValue ? totals() : null },
  };
  // Rows in bin order, so that sums of doubles add up in the same order on every engine.
  const sorted = rows
    .map((row) => ({ p: requiredNumber(row['_bp'], 'bin'), e: requiredNumber(row['_be'], 'bin'), v: requiredNumber(row['_bv'], 'bin'), row }))
    .sort((a, b) => a.p - b.p || a.e - b.e || a.v - b.v);
  const add = (t: MeasureTotals, n: number, sum: RowValue | undefined, squares: RowValue | undefined): void => {
    t.n += n;
    t.sum += numberOf(sum) ?? 0;
    t.sumSquares += numberOf(squares) ?? 0;
  };
  for (const { p, e, v, row } of sorted) {
    const n = requiredNumber(row['_n'], 'customers');
    out.pAlive.counts[p] = (out.pAlive.counts[p] ?? 0) + n;
    out.expectedPurchases.counts[e] = (out.expectedPurchases.counts[e] ?? 0) + n;
    if (out.lifetimeValue !== null) out.lifetimeValue.counts[v] = (out.lifetimeValue.counts[v] ?? 0) + n;
    add(out.totals.pAlive, n, row['_sp'], row['_qp']);
    add(out.totals.expectedPurchases, n, row['_se'], row['_qe']);
    if (out.totals.lifetimeValue !== null) add(out.totals.lifetimeValue, n, row['_sv'], row['_qv']);
  }
  return out;
}

/** Lifetime value, P(alive) and expected purchases summed by each segment grouping's levels. */
export async function valueBySegment(ctx: AnalysisContext, model: LifetimeValueModel, withValue: boolean): Promise<{ groups: GroupValue[]; warnings: string[] }> {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const values = new SqlValues(ctx.engine, 'lg');
  const { groupings, warnings } = profileGroupings(ctx, values);
  const pa = q(S.pAlive);
  const ep = q(S.expectedPurchases);
  const lv = q(S.lifetimeValue);
  const groups: GroupValue[] = [];
  for (const grouping of groupings) {
    const rows = await scopeQuery<Record<string, RowValue>>(
      ctx,
      scopeSelect(ctx, {
        items: [
          `${grouping.expr} AS ${q('_g')}`,
          `count(*) AS ${q('_n')}`,
          `sum(${pa}) AS ${q('_sp')}`,
          `sum(${ep}) AS ${q('_se')}`,
          `sum(${withValue ? lv : '0'}) AS ${q('_sv')}`,
          `sum(${withValue ? `${lv} * ${lv}` : '0'}) AS ${q('_qv')}`,
        ],
        join: model.sql.join,
        where: [model.sql.scored],
        groupBy: [q('_g')],
      }),
      model.histories.values,
      values,
    );
    const rank = (level: string): number => {
      const i = grouping.order.indexOf(level);
      return i < 0 ? Number.MAX_SAFE_INTEGER : i;
    };
    const levels = rows
      .map((row) => ({ level: String(row['_g']), row }))
      .sort((a, b) => rank(a.level) - rank(b.level) || (a.level < b.level ? -1 : a.level > b.level ? 1 : 0));
    for (const { level, row } of levels) {
      const n = requiredNumber(row['_n'], 'customers');
      groups.push({
        grouping: grouping.key,
        level,
        n,
        lifetimeValue: withValue ? { n, sum: numberOf(row['_sv']) ?? 0, sumSquares: numberOf(row['_qv']) ?? 0 } : null,
        pAliveSum: numberOf(row['_sp']) ?? 0,
        expectedPurchasesSum: numberOf(row['_se']) ?? 0,
      });
    }
  }
  return { groups, warnings };
}

/** The customers with the highest lifetime value (or expected purchases without a spend model); ties by customer id. */
export async function topCustomers(ctx: AnalysisContext, model: LifetimeValueModel, withValue: boolean, limit = 10): Promise<TopCustomer[]> {
  const q = ctx.engine.dialect.quoteIdent;
  const by = withValue ? q(S.lifetimeValue) : q(S.expectedPurchases);
  const select = scopeSelect(ctx, {
    items: [q('customer_id'), `${q(H.x)} AS ${q('_tx_x')}`, `${q(H.tx)} AS ${q('_tx_r')}`, `${q(H.T)} AS ${q('_tx_t')}`, `${q(H.repeatSpend)} AS ${q('_tx_s')}`, `${q(S.pAlive)} AS ${q('_tp')}`, `${q(S.expectedPurchases)} AS ${q('_te')}`, `${by} AS ${q('_tb')}`],
    join: model.sql.join,
    where: [model.sql.scored],
  });
  const rows = await scopeQuery<Record<string, RowValue>>(ctx, `${select} ORDER BY ${q('_tb')} DESC, ${q('customer_id')} LIMIT ${limit}`, model.histories.values);
  return rows.map((row) => ({
    customerId: String(row['customer_id']),
    x: requiredNumber(row['_tx_x'], 'x'),
    txDays: requiredNumber(row['_tx_r'], 'recency'),
    TDays: requiredNumber(row['_tx_t'], 'age'),
    repeatSpend: numberOf(row['_tx_s']),
    pAlive: requiredNumber(row['_tp'], 'P(alive)'),
    expectedPurchases: requiredNumber(row['_te'], 'expected purchases'),
    lifetimeValue: withValue ? numberOf(row['_tb']) : null,
  }));
}

/** P(alive) of the customers the data records as churned against the others: a check of the model against known churn. */
export async function aliveByRecordedChurn(ctx: AnalysisContext, model: LifetimeValueModel): Promise<{ churned: boolean; n: number; pAlive: MeasureTotals; expectedPurchasesSum: number }[]> {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const pa = q(S.pAlive);
  const flag = `(CASE WHEN ${d.boolToInt(q('churned'))} = 1 THEN 1 ELSE 0 END)`;
  const rows = await scopeQuery<Record<string, RowValue>>(
    ctx,
    scopeSelect(ctx, {
      items: [`${flag} AS ${q('_c')}`, `count(*) AS ${q('_n')}`, `sum(${pa}) AS ${q('_sp')}`, `sum(${pa} * ${pa}) AS ${q('_qp')}`, `sum(${q(S.expectedPurchases)}) AS ${q('_se')}`],
      join: model.sql.join,
      where: [model.sql.scored],
      groupBy: [q('_c')],
    }),
    model.histories.values,
  );
  return rows
    .map((row) => {
      const n = requiredNumber(row['_n'], 'customers');
      return { churned: requiredNumber(row['_c'], 'churned') === 1, n, pAlive: { n, sum: numberOf(row['_sp']) ?? 0, sumSquares: numberOf(row['_qp']) ?? 0 }, expectedPurchasesSum: numberOf(row['_se']) ?? 0 };
    })
    .sort((a, b) => Number(a.churned) - Number(b.churned));
}
