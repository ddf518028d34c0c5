import type { RowValue } from '../../engine/types.js';
import { fitShiftedBetaGeometric, sbgResidualLifetimeEstimate, sbgRetentionRate, type IntervalEstimate, type SbgFit } from '../../stats/index.js';
import { hasRows } from '../needs.js';
import { scopeQuery, scopeSelect } from '../scope-query.js';
import { numberOf, requiredNumber, SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import { dayAfter, DAYS_PER_MONTH } from './settings.js';

/*
 * The contractual view (Fader & Hardie 2007, 2010): customers of one signup
 * cohort (a calendar year) renew period after period or leave; the
 * shifted-beta-geometric model fits the cohort's survival and projects how
 * long a new customer stays (expected remaining periods, and discounted:
 * DERL). A cohort counts a period only when all its customers were observed
 * through it (the last signup of the year plus that many periods by as_of),
 * so the survival table has no censoring inside it.
 */

/** Survival tables need at least this many whole periods for two parameters. */
const MIN_PERIODS = 2;
const MAX_PERIODS = 10;

export interface CohortSurvival {
  /** Signup year (YYYY). */
  cohort: string;
  customers: number;
  /** Alive at the start and after each whole period observed for every member. */
  alive: number[];
  fit: SbgFit | null;
  /** Renewals a new customer is expected to make, undiscounted: β/(α−1); Infinity when α ≤ 1. */
  expectedRenewals: number | null;
  /** Discounted expected residual lifetime of a new customer, in periods (each period's payment counted once), with its interval. */
  discountedLifetime: IntervalEstimate | null;
  note: string | null;
}

export interface ContractualView {
  periodMonths: number;
  /** Discount rate per period, from the monthly rate. */
  discountRate: number;
  cohorts: CohortSurvival[];
  /** Why there is no contractual view, when there is none. */
  reason: string | null;
}

/** sBG per signup-cohort year, or the reason there is none (no subscriptions, churn without dates, cohorts too young). */
export async function contractualView(ctx: AnalysisContext, periodMonths: number, monthlyDiscountRate: number): Promise<ContractualView> {
  const discountRate = (1 + monthlyDiscountRate) ** periodMonths - 1;
  const none = (reason: string): ContractualView => ({ periodMonths, discountRate, cohorts: [], reason });
  if (!hasRows(ctx, 'status_changes')) return none('No subscription data: status changes (churn dates) are not imported, so the contractual model (sBG) is not fitted.');
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const values = new SqlValues(ctx.engine, 'lc');
  const signup = q('signup_at');
  const churnedAt = q('churned_at');
  const asOfNext = values.bind(dayAfter(ctx.asOf));
  const periodDays = Math.round(periodMonths * DAYS_PER_MONTH);
  const [dating] = await scopeQuery<Record<string, RowValue>>(
    ctx,
    scopeSelect(ctx, {
      items: [`count(*) AS ${q('_n')}`, `sum(CASE WHEN ${churnedAt} IS NOT NULL THEN 1 ELSE 0 END) AS ${q('_c')}`, `sum(CASE WHEN ${churnedAt} IS NOT NULL AND ${churnedAt} < ${values.bind(new Date(`${ctx.asOf}T00:00:00Z`))} THEN 1 ELSE 0 END) AS ${q('_cd')}`],
      where: [`${signup} IS NOT NULL`, `${signup} < ${asOfNext}`],
    }),
    values,
  );
  const churners = numberOf(dating?.['_c']) ?? 0;
  if ((numberOf(dating?.['_n']) ?? 0) === 0) return none('No customer has a signup date, so there are no signup cohorts to follow.');
  if (churners === 0) return none('No customer in scope has churned, so survival cannot be modelled yet.');
  if ((numberOf(dating?.['_cd']) ?? 0) === 0) return none('Every churn is dated at as_of (a churn flag without dates), so survival by period cannot be measured.');

  const cohort = d.dateTrunc('year', signup);
  const alive = Array.from({ length: MAX_PERIODS + 1 }, (_, k) =>
    k === 0 ? `count(*) AS ${q('_a0')}` : `sum(CASE WHEN ${churnedAt} IS NULL THEN 1 WHEN ${churnedAt} >= ${d.addDays(signup, k * periodDays)} THEN 1 ELSE 0 END) AS ${q(`_a${k}`)}`,
  );
  const rows = await scopeQuery<Record<string, RowValue>>(
    ctx,
    scopeSelect(ctx, {
      items: [`${cohort} AS ${q('_y')}`, `max(${signup}) AS ${q('_last')}`, ...alive],
      where: [`${signup} IS NOT NULL`, `${signup} < ${asOfNext}`],
      groupBy: [q('_y')],
    }),
    values,
  );
  const asOfEnd = dayAfter(ctx.asOf).getTime();
  const cohorts: CohortSurvival[] = rows
    .map((row) => {
      const year = String(row['_y']).slice(0, 4);
      const last = Date.parse(String(row['_last']));
      const periods = Math.min(MAX_PERIODS, Math.max(0, Math.floor((asOfEnd - last) / 86_400_000 / periodDays)));
      const counts = Array.from({ length: periods + 1 }, (_, k) => requiredNumber(row[`_a${k}`], 'alive'));
      return { year, counts };
    })
    .sort((a, b) => (a.year < b.year ? -1 : 1))
    .map(({ year, counts }) => {
      const base = { cohort: year, customers: counts[0] ?? 0, alive: counts };
      if (counts.length - 1 < MIN_PERIODS) {
        return { ...base, fit: null, expectedRenewals: null, discountedLifetime: null, note: `only ${counts.length - 1} whole period(s) observed for every member; ${MIN_PERIODS} are needed` };
      }
      if ((counts[counts.length - 1] ?? 0) === (counts[0] ?? 0)) {
        return { ...base, fit: null, expectedRenewals: null, discountedLifetime: null, note: 'nobody in the cohort churned in the periods observed' };
      }
      const fit = fitShiftedBetaGeometric(counts);
      const { alpha, beta } = fit.params;
      return {
        ...base,
        fit,
        expectedRenewals: alpha > 1 ? beta / (alpha - 1) : Number.POSITIVE_INFINITY,
        discountedLifetime: sbgResidualLifetimeEstimate(fit, { discountRate, renewals: 0 }),
        note: null,
      };
    });
  const fitted = cohorts.filter((c) => c.fit !== null);
  const reason =
    fitted.length === 0
      ? `No signup cohort has been observed for ${MIN_PERIODS} whole periods of ${periodMonths} months with some churn, so the contractual model (sBG) is not fitted (set lifetime_value.contract_period_months for shorter periods).`
      : null;
  return { periodMonths, discountRate, cohorts, reason };
}

/** Retention rate the fit projects for period t (renewal t of a surviving customer). */
export function projectedRetention(fit: SbgFit, period: number): number {
  return sbgRetentionRate(fit.params, period);
}
