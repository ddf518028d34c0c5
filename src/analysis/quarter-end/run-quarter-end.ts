import { hasRows } from '../needs.js';
import { describePeriod } from '../period.js';
import { emptyParts, notRunResult, okResult } from '../result-builder.js';
import type { Result } from '../result.js';
import { SqlValues } from '../sql-values.js';
import { PRACTICAL_RATIO } from '../thresholds.js';
import type { Analysis, AnalysisContext } from '../types.js';
import { words } from '../wording.js';
import { cohortOutcomes } from './cohort-outcomes.js';
import { cohortSql } from './cohort-sql.js';
import { dailySales } from './daily-sales.js';
import { chooseCovariates, COVARIATE_CELL_BUDGET } from './hazard-covariates.js';
import { hazardModel, MIN_BAND_EVENTS, type HazardModel } from './hazard-model.js';
import { intakeComparison } from './intake-model.js';
import { refundComparison, satisfactionComparisons, MIN_ANSWERS } from './outcome-comparisons.js';
import { personTime } from './person-time.js';
import { pushBalance } from './push-balance.js';
import { dailyIntakeChart, survivalChart } from './quarter-end-charts.js';
import { screenClaims } from './quarter-end-claims.js';
import { balanceFinding, hazardFinding, intakeFinding, refundFinding, satisfactionFinding } from './quarter-end-findings.js';
import { balanceTable, dailyProfile, dailyTable, hazardTable, outcomesTable, salesTable, survivalTable } from './quarter-end-tables.js';
import { balanceSentence, hazardSentence, headline, intakeSentence, refundSentence, satisfactionSentence, windowWords } from './quarter-end-words.js';
import { quarterEndSettings } from './settings.js';
import { lifeTable, type SurvivalPoint } from './survival-curves.js';

/**
 * Quarter-end pushes: sales per day in the last N days of each fiscal
 * quarter against its other days; for the customers acquired in those days
 * against the others, early refunds, satisfaction, and churn (survival
 * curves and a piecewise-exponential hazard ratio); and the push's money:
 * what its extra customers brought against what its customers' refunds and
 * faster churn cost.
 */
export async function runQuarterEnd(ctx: AnalysisContext, analysis: Pick<Analysis, 'name' | 'revision' | 'description'>): Promise<Result> {
  const s = quarterEndSettings(ctx.config);
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const currency = ctx.config.currency;
  const values = new SqlValues(ctx.engine, 'qe');
  const cohort = cohortSql(ctx, values, s);
  const outcomes = await cohortOutcomes(ctx, values, cohort, s);
  const inPeriod = ctx.period === null ? '' : `, ${describePeriod(ctx.period)}`;
  if (outcomes.window.customers === 0 || outcomes.others.customers === 0) {
    const none = outcomes.window.customers + outcomes.others.customers === 0;
    return notRunResult(
      ctx,
      analysis,
      'skipped',
      none
        ? `No customer in scope has a signup or first purchase date${inPeriod}: map signup_at (when each customer was acquired) in cxray.yaml and run \`cxray import\`.`
        : `Every customer in scope${inPeriod} was acquired ${outcomes.window.customers === 0 ? 'outside' : 'inside'} ${windowWords(s)}, so there is nothing to compare: widen the period or change quarter_end.window_days in cxray.yaml.`,
    );
  }

  const sales = await dailySales(ctx, values, cohort);
  const intake = sales === null ? null : intakeComparison(sales.days, 'customers', s);
  const revenue = sales !== null && sales.hasRevenue ? intakeComparison(sales.days, 'revenue', s) : null;
  const refunds = refundComparison(outcomes);
  const satisfaction = satisfactionComparisons(outcomes);

  let hazard: HazardModel | null = null;
  let curves: { group: string; points: SurvivalPoint[] }[] = [];
  const covariateNotes: string[] = [];
  const stored = new Set(ctx.facts.columns.map((c) => c.name));
  const canChurn = hasRows(ctx, 'status_changes') && stored.has('churned') && stored.has('exposure_days');
  if (canChurn) {
    const where = [...cohort.where, `${q('exposure_days')} IS NOT NULL`];
    const choice = await chooseCovariates(ctx, values, where, d.toDouble(q('exposure_days')), d.boolToInt(q('churned')));
    covariateNotes.push(...choice.notes);
    const pt = await personTime(ctx, values, cohort.where, cohort.flag, choice.chosen);
    hazard = hazardModel(pt, choice.chosen);
    covariateNotes.push(...(hazard?.notes ?? []));
    curves = [
      { group: `in ${windowWords(s)}`, points: lifeTable(pt, 1) },
      { group: 'on other days', points: lifeTable(pt, 0) },
    ];
  }

  const claims = screenClaims({ intake, revenue, refunds, satisfaction, hazard }, ctx.thresholds);
  const passes = (key: Parameters<typeof claims.get>[0]): boolean => claims.get(key)?.passes === true;
  const others = curves[1]?.points ?? [];
  const balance = intake === null ? null : pushBalance({ intake, hazard, refunds, window: outcomes.window, others: outcomes.others, otherSurvival: others, horizonMonths: s.horizonMonths });
  const moneyThreshold = ctx.thresholds.byUnit[currency] ?? 1;
  const alert = balance !== null && balance.interval.upper < 0 && Math.abs(balance.net) >= moneyThreshold;
  const pays = balance !== null && balance.interval.lower > 0 && Math.abs(balance.net) >= moneyThreshold;

  const parts = emptyParts();
  const top = passes('refunds') && passes('churn') && (refunds?.difference.estimate ?? 0) > 0 && (hazard?.adjusted.estimate ?? 0) > 0 ? headline(refunds, hazard, s) : null;
  if (top !== null) parts.summary.push(top);
  for (const c of [intake, revenue]) {
    if (c === null) continue;
    const claim = claims.get(c.measure === 'customers' ? 'intake' : 'revenue');
    const text = intakeSentence(c, s, currency, claim?.passes === true);
    parts.summary.push(text);
    if (claim?.passes === true) parts.findings.push(intakeFinding(c, claim, text, currency));
  }
  if (intake === null) parts.summary.push(`Sales per day in ${windowWords(s)} cannot be compared: the history holds no whole window or under 28 other days${inPeriod}.`);
  if (refunds !== null) {
    const claim = claims.get('refunds');
    const text = refundSentence(refunds, s, claim?.passes === true);
    if (top === null) parts.summary.push(text);
    if (claim?.passes === true) parts.findings.push(refundFinding(refunds, claim, text));
  } else parts.summary.push(`Early refunds are not compared: no customer in one of the groups made a first purchase at least ${s.refundDays} days before as_of.`);
  for (const c of satisfaction) {
    const claim = claims.get(c.instrument);
    const text = satisfactionSentence(c, s, claim?.passes === true);
    parts.summary.push(text);
    if (claim?.passes === true) parts.findings.push(satisfactionFinding(c, claim, text));
  }
  if (satisfaction.length === 0) parts.summary.push(`Satisfaction is not compared: fewer than ${MIN_ANSWERS} NPS or CSAT answers in one of the groups.`);
  if (hazard !== null) {
    const claim = claims.get('churn');
    const text = hazardSentence(hazard, s, claim?.passes === true);
    if (top === null) parts.summary.push(text);
    if (claim?.passes === true) parts.findings.push(hazardFinding(hazard, claim, text));
  } else parts.summary.push(canChurn ? 'Churn is not compared: one of the groups has no churn.' : 'Churn is not compared: this import has no status changes (churn dates).');
  if (balance !== null) {
    const text = balanceSentence(balance, currency, alert);
    parts.summary.push(text);
    if (alert || pays) parts.findings.push(balanceFinding(balance, text, currency, alert));
  }

  const salesRows = [intake, revenue].filter((c) => c !== null);
  if (salesRows.length > 0) parts.tables.push(salesTable(salesRows, claims, currency));
  if (refunds !== null || satisfaction.length > 0) parts.tables.push(outcomesTable(refunds, satisfaction, claims, s));
  if (hazard !== null) parts.tables.push(hazardTable(hazard, claims));
  if (curves.some((c) => c.points.length > 0)) {
    parts.tables.push(survivalTable(curves));
    parts.charts.push(survivalChart(curves));
  }
  if (sales !== null) {
    const profile = dailyProfile(sales.days, s);
    parts.tables.push(dailyTable(profile, currency));
    parts.charts.unshift(dailyIntakeChart(profile, s.windowDays));
  }
  if (balance !== null) parts.tables.push(balanceTable(balance, currency));
  parts.warnings.push(...(hazard?.warnings ?? []));

  const fdr = words.percent(ctx.thresholds.fdr, 0);
  return okResult(ctx, analysis, parts, {
    description:
      `Quarters are fiscal, starting in month ${s.fiscalYearStartMonth}; the window is ${windowWords(s)} (quarter_end.window_days). Customers are put in the window by the day they were acquired (signup, else first purchase)${ctx.period === null ? '' : `, those acquired ${describePeriod(ctx.period)}`}. ` +
      'Sales per day: new customers and purchase revenue on each day from the first with a sale, zeros included; the ratio of the window days to the other days is exp(β) of a quasi-Poisson regression of each day\'s sales on the window flag, a quadratic time trend, the weekday and the day of the month (as strata, so the window meets the same days of the quarter\'s other months), the dispersion widening the interval (never under 1 for counts; t with the residual df). ' +
      `Early refunds: among customers whose first purchase is at least ${s.refundDays} days before as_of, the share with a refund dated within ${s.refundDays} days of it, window against others (difference of proportions, Newcombe's interval). Satisfaction: each customer's latest NPS (difference of NPS, normal interval) and CSAT (Welch). ` +
      `Churn: person-time at risk and churn events by month of tenure (exposure_days, churned), window flag and covariates, summed in one GROUP BY; survival curves are the actuarial life tables of the two groups (Greenwood bands on the log(−log) scale); the hazard ratio is exp(β) of a piecewise-exponential model (a baseline hazard per band of months holding at least ${MIN_BAND_EVENTS} churn events), fitted as a Poisson regression of events with log(months at risk) as offset, Wald interval; adjusted for the attributes known at acquisition (or adjust_for) that best predict churn, strongest first, while their cells stay within ${COVARIATE_CELL_BUDGET}. ` +
      `Claims: the six comparisons screened together by Benjamini-Hochberg at ${fdr}, then a practical threshold: ratios at least ${PRACTICAL_RATIO} (or at most 1/${PRACTICAL_RATIO}), refunds in percentage points, NPS in points, CSAT as a standardised difference. ` +
      `Money: over each customer's first ${s.horizonMonths} months (quarter_end.horizon_months), the push's extra customers (window customers × (1 − 1/intake ratio)) at the value of another customer (margin per active month × months active by the others' survival curve, less early refunds) against the window customers' excess early refunds and the months of margin lost to their faster churn (the others' survival raised to the hazard ratio); delta-method interval. An alert when the interval lies below zero: the push costs more than it brings.`,
    assumptions: [
      `Stated rate: when customers acquired in the window are like the others, some comparison is claimed in at most ${fdr} of analyses (the six screened together), and the money alert fires in at most ${words.percent(ctx.thresholds.fdr / 2, 1)} (one side of a ${words.percent(1 - ctx.thresholds.fdr, 0)} interval).`,
      'The hazard ratio assumes proportional hazards: the push\'s customers churn a constant multiple as fast at every tenure; the survival curves show where that does not hold.',
      'Churn counts a customer whose latest status is churned (customer_facts); follow-up runs from acquisition to churn or as_of, so recent customers count for the months they have had.',
      'Refund dates are taken as written; an export that dates a refund at its charge (Stripe\'s Amount Refunded) counts it at the purchase it refunds.',
      'The money is a model: a customer the push added is assumed worth what another customer is worth, the others\' survival past the data continues at its last months\' rate, and the margin per month and that survival are taken as known in the interval.',
      ...covariateNotes,
    ],
  });
}

