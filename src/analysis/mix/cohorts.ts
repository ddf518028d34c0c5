import { periodConditions } from '../period-sql.js';
import { cohortLabel } from '../profile/cohort-mix.js';
import { scopeQuery, scopeSelect } from '../scope-query.js';
import { numberOf, SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';

/** Signups spanning fewer quarters than this are followed by month: too few quarters for a trend or a year against a year. */
export const MIN_QUARTERS = 8;

export type CohortUnit = 'quarter' | 'month';

/** How customers are put in acquisition cohorts, and which cohorts are compared. */
export interface CohortPlan {
  unit: CohortUnit;
  /** The customer_facts column holding the cohort's first day. */
  column: string;
  periodsPerYear: number;
  /** Cohort first days (YYYY-MM-DD) with customers, ascending. */
  cohorts: string[];
  /** Periods from the first cohort's, per cohort. */
  index: Map<string, number>;
  label: (cohort: string) => string;
  /** The cohorts compared: the first and the last year of signups, or halves of the span when it is under two years. */
  early: string[];
  late: string[];
  /** "2023Q3-2024Q2". */
  earlyLabel: string;
  lateLabel: string;
  /** True when early and late are a year each. */
  years: boolean;
  /** Customers in scope without a signup date (in no cohort). */
  undated: number;
}

const monthIndex = (day: string): number => Number(day.slice(0, 4)) * 12 + Number(day.slice(5, 7)) - 1;

/** Conditions every cohort query shares: a signup, within the period when one is given. */
export function cohortConditions(ctx: AnalysisContext, values: SqlValues, column: string): string[] {
  const q = ctx.engine.dialect.quoteIdent;
  return [`${q(column)} IS NOT NULL`, ...(ctx.period === null ? [] : periodConditions(ctx, values, q('signup_at')))];
}

async function cohortSizes(ctx: AnalysisContext, column: string): Promise<{ cohort: string; customers: number }[]> {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const values = new SqlValues(ctx.engine, 'mxc');
  const cohort = d.toString(q(column));
  const rows = await scopeQuery(ctx, scopeSelect(ctx, { items: [`${cohort} AS ${q('_c')}`, `count(*) AS ${q('_n')}`], where: cohortConditions(ctx, values, column), groupBy: [cohort] }), values);
  return rows.map((r) => ({ cohort: String(r['_c']).slice(0, 10), customers: numberOf(r['_n']) ?? 0 })).sort((a, b) => (a.cohort < b.cohort ? -1 : a.cohort > b.cohort ? 1 : 0));
}

function rangeLabel(list: readonly string[], label: (c: string) => string): string {
  const first = list[0];
  const last = list[list.length - 1];
  if (first === undefined || last === undefined) return '';
  return first === last ? label(first) : `${label(first)}-${label(last)}`;
}

/**
 * The cohorts: signup quarters (fiscal, as customer_facts.cohort_quarter),
 * or signup months when the signups span fewer than MIN_QUARTERS quarters.
 * The comparison at the ends: the first year of signups against the last
 * (4 quarters or 12 months each, counted on the calendar from the first and
 * the last cohort), or the first half of the span against the second when it
 * is under two years. Null without any dated signup.
 */
export async function cohortPlan(ctx: AnalysisContext): Promise<CohortPlan | null> {
  const quarters = await cohortSizes(ctx, 'cohort_quarter');
  const first = quarters[0];
  const last = quarters[quarters.length - 1];
  if (first === undefined || last === undefined) return null;
  const spanQuarters = Math.round((monthIndex(last.cohort) - monthIndex(first.cohort)) / 3) + 1;
  const unit: CohortUnit = spanQuarters >= MIN_QUARTERS ? 'quarter' : 'month';
  const column = unit === 'quarter' ? 'cohort_quarter' : 'cohort_month';
  const sizes = unit === 'quarter' ? quarters : await cohortSizes(ctx, column);
  const cohorts = sizes.map((s) => s.cohort);
  const step = unit === 'quarter' ? 3 : 1;
  const start = monthIndex(cohorts[0] ?? first.cohort);
  const index = new Map(cohorts.map((c) => [c, Math.round((monthIndex(c) - start) / step)]));
  const periodsPerYear = unit === 'quarter' ? 4 : 12;
  const span = (index.get(cohorts[cohorts.length - 1] ?? '') ?? 0) + 1;
  const years = span >= 2 * periodsPerYear;
  const width = years ? periodsPerYear : Math.floor(span / 2);
  const early = cohorts.filter((c) => (index.get(c) ?? 0) < width);
  const late = cohorts.filter((c) => (index.get(c) ?? 0) >= span - width);
  const label = unit === 'quarter' ? (c: string) => cohortLabel(c, ctx.config.fiscal_year_start_month) : (c: string) => c.slice(0, 7);
  const dated = sizes.reduce((s, c) => s + c.customers, 0);
  return {
    unit,
    column,
    periodsPerYear,
    cohorts,
    index,
    label,
    early: width > 0 ? early : [],
    late: width > 0 ? late : [],
    earlyLabel: rangeLabel(early, label),
    lateLabel: rangeLabel(late, label),
    years,
    undated: ctx.period === null ? Math.max(0, ctx.scope.customers - dated) : 0,
  };
}
