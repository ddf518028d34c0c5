import { scopeQuery, scopeSelect } from '../scope-query.js';
import { numberOf, type SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import { cohortConditions, type CohortPlan } from './cohorts.js';
import { seriesSql, type MixSeries } from './profile-series.js';

/** One cohort's customers and, per series (in order), how many of them match it. */
export interface CohortRow {
  cohort: string;
  customers: number;
  matching: number[];
}

/**
 * Customers per cohort and, for every series, those matching it: one
 * GROUP BY over customer_facts (each shard counts its own customers; only
 * the counts per cohort travel). Cohorts in calendar order. `values` are
 * those the series' groupings were built with.
 */
export async function cohortCounts(ctx: AnalysisContext, plan: Pick<CohortPlan, 'column'>, series: readonly Pick<MixSeries, 'conjunctions'>[], values: SqlValues): Promise<CohortRow[]> {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const cohort = d.toString(q(plan.column));
  const items = [
    `${cohort} AS ${q('_c')}`,
    `count(*) AS ${q('_n')}`,
    ...series.map((s, i) => `sum(CASE WHEN ${seriesSql(s, values)} THEN 1 ELSE 0 END) AS ${q(`_m${i}`)}`),
  ];
  const rows = await scopeQuery(ctx, scopeSelect(ctx, { items, where: cohortConditions(ctx, values, plan.column), groupBy: [cohort] }), values);
  return rows
    .map((r) => ({
      cohort: String(r['_c']).slice(0, 10),
      customers: numberOf(r['_n']) ?? 0,
      matching: series.map((_, i) => numberOf(r[`_m${i}`]) ?? 0),
    }))
    .sort((a, b) => (a.cohort < b.cohort ? -1 : a.cohort > b.cohort ? 1 : 0));
}
