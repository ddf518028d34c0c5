import type { SqlParams } from '../../engine/types.js';
import { meanInterval, welchDifference, type IntervalEstimate, type MeanSummary, type WelchDifference } from '../../stats/index.js';
import { earlyValue } from '../referrals/early-value.js';
import { scopeSelect } from '../scope-query.js';
import { numberOf, SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import { cohortConditions, type CohortPlan } from './cohorts.js';

/** Tenure at which cohorts are compared: every cohort's customers over their first 90 days. */
export const EQUAL_TENURE_DAYS = 90;

/** A per-customer value for scopeSelect, and who has one. */
export interface ValueSource {
  join?: string;
  /** The value in the exact money type. */
  value: string;
  /** Customers with the whole window behind them. */
  eligible: string[];
  /** Parameters of `join`, besides the query's own. */
  params: SqlParams;
}

/** Sums of the value over one cohort's eligible customers. */
export interface CohortValueSums {
  cohort: string;
  n: number;
  sum: number;
  squares: number;
}

/** Net value over each customer's first 90 days (referrals/early-value.ts), among customers signed up at least 90 days before the end of as_of. */
export async function ninetyDayValue(ctx: AnalysisContext, values: SqlValues): Promise<ValueSource | null> {
  const early = await earlyValue(ctx, values, EQUAL_TENURE_DAYS);
  return early === null ? null : { join: early.join, value: early.value, eligible: [early.eligible], params: early.params };
}

/**
 * Per cohort: eligible customers, the sum of their values (exact money) and
 * of its squares (DOUBLE), one GROUP BY; the per-customer join is
 * co-located, so each shard sums its own customers.
 */
export async function cohortValueSums(ctx: AnalysisContext, plan: Pick<CohortPlan, 'column'>, source: ValueSource, values: SqlValues): Promise<CohortValueSums[]> {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const cohort = d.toString(q(plan.column));
  const x = d.toDouble(source.value);
  const sql = scopeSelect(ctx, {
    items: [`${cohort} AS ${q('_c')}`, `count(*) AS ${q('_n')}`, `sum(${source.value}) AS ${q('_s')}`, `sum(${x} * ${x}) AS ${q('_q')}`],
    ...(source.join === undefined ? {} : { join: source.join }),
    where: [...cohortConditions(ctx, values, plan.column), ...source.eligible],
    groupBy: [cohort],
  });
  const rows = await ctx.engine.query(sql, { ...ctx.scope.params, ...values.params, ...source.params }, ctx.signal === undefined ? {} : { signal: ctx.signal });
  return rows
    .map((r) => ({ cohort: String(r['_c']).slice(0, 10), n: numberOf(r['_n']) ?? 0, sum: numberOf(r['_s']) ?? 0, squares: numberOf(r['_q']) ?? 0 }))
    .sort((a, b) => (a.cohort < b.cohort ? -1 : a.cohort > b.cohort ? 1 : 0));
}

/** Mean, sample standard deviation and count from sums (null under two customers). */
export function summaryOf(s: Pick<CohortValueSums, 'n' | 'sum' | 'squares'>): MeanSummary | null {
  if (s.n < 2) return null;
  const mean = s.sum / s.n;
  return { n: s.n, mean, sd: Math.sqrt(Math.max(0, (s.squares - s.n * mean * mean) / (s.n - 1))) };
}

/** The cohorts at equal tenure: each cohort's mean, and the last year against the first. */
export interface EqualTenureComparison {
  days: number;
  byCohort: { cohort: string; customers: number; mean: IntervalEstimate | null }[];
  early: MeanSummary | null;
  late: MeanSummary | null;
  /** Late minus early, Welch. */
  difference: WelchDifference | null;
  /** The difference passes the test at `alpha` and the money threshold. */
  passes: boolean;
}

/**
 * Each cohort's mean value at equal tenure (t interval), and the last
 * year's cohorts against the first (Welch's t test: a difference is claimed
 * when p ≤ alpha and it reaches the money threshold; under no difference
 * that happens in at most alpha of analyses).
 */
export function equalTenureComparison(plan: Pick<CohortPlan, 'early' | 'late'>, sums: readonly CohortValueSums[], options: { alpha: number; practicalMoney: number }): EqualTenureComparison {
  const pool = (cohorts: readonly string[]): CohortValueSums => {
    const set = new Set(cohorts);
    return sums.filter((s) => set.has(s.cohort)).reduce((a, s) => ({ cohort: '', n: a.n + s.n, sum: a.sum + s.sum, squares: a.squares + s.squares }), { cohort: '', n: 0, sum: 0, squares: 0 });
  };
  const early = summaryOf(pool(plan.early));
  const late = summaryOf(pool(plan.late));
  let difference: WelchDifference | null = null;
  if (early !== null && late !== null && early.sd + late.sd > 0) difference = welchDifference(late, early);
  return {
    days: EQUAL_TENURE_DAYS,
    byCohort: sums.map((s) => {
      const summary = summaryOf(s);
      return { cohort: s.cohort, customers: s.n, mean: summary === null ? null : meanInterval(summary) };
    }),
    early,
    late,
    difference,
    passes: difference !== null && difference.pValue <= options.alpha && Math.abs(difference.estimate) >= options.practicalMoney,
  };
}
