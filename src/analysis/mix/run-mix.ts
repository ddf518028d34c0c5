import { describePeriod } from '../period.js';
import { emptyParts, mergeParts, notRunResult, okResult } from '../result-builder.js';
import type { Result } from '../result.js';
import { SqlValues } from '../sql-values.js';
import { DIFFERENCE_UNITS } from '../thresholds.js';
import type { Analysis, AnalysisContext } from '../types.js';
import { segmentGroupings } from '../value/segment-groupings.js';
import { words } from '../wording.js';
import { channelMixFallback } from './channel-fallback.js';
import { cohortCounts } from './cohort-counts.js';
import { cohortPlan, MIN_QUARTERS } from './cohorts.js';
import { cohortValueSums, EQUAL_TENURE_DAYS, equalTenureComparison, ninetyDayValue, type EqualTenureComparison } from './cohort-value.js';
import { equalTenureChart, sharesChart } from './mix-charts.js';
import { driftFinding, driftSentence, equalTenureFinding, equalTenureSentence } from './mix-findings.js';
import { cohortSharesTable, driftTable, equalTenureTable } from './mix-tables.js';
import { isIdealKind, profileSeries } from './profile-series.js';
import { seriesDrifts, type SeriesDrift } from './series-drift.js';

/**
 * The customer mix over acquisition cohorts: the share of each cohort
 * matching the ideal profile's rules and the misaligned segments (attributes
 * known at acquisition, so a young cohort is judged on whom it brought, not
 * on how long they have stayed), the trend of each share with its test and
 * an alert when the mix drifts away from the ideal; the cohorts compared at
 * equal tenure (net value over each customer's first 90 days). Without an
 * ideal profile, the mix by acquisition channel instead.
 */
export async function runMix(ctx: AnalysisContext, analysis: Pick<Analysis, 'name' | 'revision' | 'description'>): Promise<Result> {
  const plan = await cohortPlan(ctx);
  if (plan === null) {
    return notRunResult(ctx, analysis, 'skipped', 'No customer in scope has a signup date, so there are no acquisition cohorts: map signup_at (the date each customer was acquired) in cxray.yaml and run `cxray import`.');
  }
  const values = new SqlValues(ctx.engine, 'mxg');
  const { groupings, warnings } = segmentGroupings(ctx, values);
  const profile = await profileSeries(ctx, groupings);
  const alpha = ctx.thresholds.fdr;
  const practicalPoints = ctx.thresholds.byUnit[DIFFERENCE_UNITS.percentagePoints] ?? 1;
  const rows = profile.series.length === 0 ? [] : await cohortCounts(ctx, plan, profile.series, values);
  const drifts = seriesDrifts(plan, rows, profile.series, { alpha, practicalPoints });
  const currency = ctx.config.currency;
  const valueValues = new SqlValues(ctx.engine, 'mxv');
  const source = await ninetyDayValue(ctx, valueValues);
  const tenure: EqualTenureComparison | null =
    source === null ? null : equalTenureComparison(plan, await cohortValueSums(ctx, plan, source, valueValues), { alpha, practicalMoney: ctx.thresholds.byUnit[currency] ?? 1 });

  const parts = emptyParts();
  parts.warnings.push(...warnings, ...profile.warnings);
  const assumptions: string[] = [];
  const byKind = (test: (d: SeriesDrift) => boolean): SeriesDrift[] => drifts.filter(test);
  const ideal = byKind((d) => d.series.kind === 'ideal')[0];
  if (ideal !== undefined) parts.summary.push(driftSentence(ideal, plan));
  else {
    parts.summary.push(`${profile.noIdeal ?? 'There is no ideal profile to follow.'} The mix of new customers by acquisition channel instead:`);
    const fallback = await channelMixFallback(ctx);
    mergeParts(parts, { ...fallback, summary: [...(fallback.summary ?? []), ...(fallback.gaps ?? [])] });
    assumptions.push(...(fallback.assumptions ?? []));
  }
  parts.summary.push(...byKind((d) => (d.series.kind === 'rule' || d.series.kind === 'any_rule') && d.passes).map((d) => driftSentence(d, plan)));
  const misaligned = byKind((d) => !isIdealKind(d.series.kind));
  if (profile.noMisaligned !== null) parts.summary.push(profile.noMisaligned);
  else if (misaligned.length === 0) parts.summary.push('No misaligned segment was reported, so none is followed over cohorts.');
  else {
    const drifting = misaligned.filter((d) => d.passes);
    parts.summary.push(...(drifting.length > 0 ? drifting : misaligned.slice(0, 1)).map((d) => driftSentence(d, plan)));
  }
  const tenureWords = tenure === null ? null : equalTenureSentence(tenure, plan, currency);
  if (tenureWords !== null) parts.summary.push(tenureWords);
  else parts.summary.push(`Cohorts are not compared at equal tenure: ${source === null ? 'there are no transactions' : `fewer than 2 customers have ${EQUAL_TENURE_DAYS} days of tenure at one end of the history`}.`);
  if (plan.undated > 0) parts.warnings.push(`${words.count(plan.undated)} customers in scope have no signup date and are in no cohort.`);

  for (const d of drifts) {
    const finding = driftFinding(d, plan);
    if (finding !== null) parts.findings.push(finding);
  }
  const tenureFinding = tenure === null ? null : equalTenureFinding(tenure, plan, currency);
  if (tenureFinding !== null) parts.findings.push(tenureFinding);
  if (drifts.length > 0) {
    parts.tables.push(cohortSharesTable(drifts, plan), driftTable(drifts, plan));
    parts.charts.push(sharesChart(drifts, plan));
  }
  if (tenure !== null) {
    parts.tables.push(equalTenureTable(tenure, plan, currency));
    parts.charts.push(equalTenureChart(tenure, plan, currency));
  }

  const fdr = words.percent(alpha, 0);
  const cohorts = `signup ${plan.unit}s${plan.unit === 'month' ? ` (the signups span fewer than ${MIN_QUARTERS} quarters)` : ''}`;
  return okResult(ctx, analysis, parts, {
    description:
      `Customers are put in acquisition cohorts by ${cohorts}${ctx.period === null ? '' : `, signups ${describePeriod(ctx.period)}`}. ` +
      'Followed over the cohorts: the rules of the ideal profile that hold on held-out customers (ideal-profile; the first is "the ideal profile"), any of them, the misaligned segments reported (misaligned), and any of those; each cohort\'s share matching, with a Wilson interval, counted in one GROUP BY. ' +
      `The ends: the first ${plan.years ? 'year' : 'half'} of signups against the last (difference of proportions, Newcombe's interval). ` +
      "The trend: the weighted least-squares slope of the cohort shares on the cohort's place on the calendar (weights: customers), tested by the Cochran-Armitage test for trend; the departure-from-trend χ² over its degrees of freedom measures how much cohorts vary beyond chance (the dispersion, at least 1), which widens the test and the slope's interval (binomial variance at the fitted shares) when above 1, both then on t with k − 2 df (else normal). " +
      `A drift is claimed when the trend passes Benjamini-Hochberg at ${fdr} over the series followed, the ends differ by at least ${practicalPoints} percentage point(s) with an interval clear of zero, and both point the same way; it is an alert when an ideal rule's share falls or a misaligned segment's rises. ` +
      `At equal tenure: each customer's net value over its first ${EQUAL_TENURE_DAYS} days (purchases and fees less refunds, credits, cost of goods and the cost to serve of its contacts in those days), among customers signed up at least ${EQUAL_TENURE_DAYS} days before the end of as_of; each cohort's mean with its t interval, the last ${plan.years ? 'year' : 'half'} against the first by Welch's t test, claimed at ${fdr} and the money threshold.`,
    assumptions: [
      `Stated rate: when no share drifts, a drift is claimed for some series in at most ${fdr} of analyses (the trend tests screened together; the other conditions only remove claims); a difference at equal tenure is claimed in at most ${fdr} when there is none.`,
      'Shares use only attributes known when a customer arrives, so the newest cohort is judged on whom it brought, not on how long its customers have stayed.',
      'Cohorts are counted among the customers in the store: if the exports hold only current customers, older cohorts are the survivors, and their mix reflects retention as well as acquisition.',
      'The finding states the change between the ends; its p- and q-value are the trend test\'s, over all cohorts.',
      ...assumptions,
    ],
  });
}
