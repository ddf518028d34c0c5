import { describePeriod } from '../period.js';
import { emptyParts, notRunResult, okResult } from '../result-builder.js';
import type { Result } from '../result.js';
import { PRACTICAL_RATIO, SAMPLE_RATIO_MISMATCH_ALPHA } from '../thresholds.js';
import type { Analysis, AnalysisContext } from '../types.js';
import { words } from '../wording.js';
import { CHANGE_WINDOW_DEFAULTS, uniqueSlugs, type ChangeDefinition } from './change.js';
import { changeReport } from './change-findings.js';
import { changesTable, effectsTable, monthlyChart, monthlyTable } from './change-tables.js';
import { changeHead } from './change-words.js';
import { screenClaims, PRE_TREND_ALPHA, type Claim } from './effect-claims.js';
import { armEffectsTable, armSentence, armsTable, experimentFindings, experimentHead, ratioSentence } from './experiment-report.js';
import { readExperiment, type ExperimentReadout } from './experiment-readout.js';
import { measureChange, type MeasuredChange } from './measure-change.js';
import { MIN_CELL_CUSTOMERS, MIN_CELL_EVENTS } from './measure-effect.js';

/** What to do when there is nothing to measure. */
export const NOTHING_TO_MEASURE =
  'No change is stored in this workspace and cxray.yaml declares no experiment: record one with `cxray changes add --name NAME --date YYYY-MM-DD --segment RULE` (see `cxray changes add --help`), or declare an A/B test under `experiments` in cxray.yaml.';

/**
 * The measured effect of each stored change (difference-in-differences of
 * its segment against a comparison group, clustered by customer, with a
 * pre-trend check) and the readout of each experiment declared in
 * cxray.yaml (arms, sample ratio, each measure per arm).
 */
export async function runChanges(ctx: AnalysisContext, analysis: Pick<Analysis, 'name' | 'revision' | 'description'>, changes: readonly ChangeDefinition[]): Promise<Result> {
  const experiments = Object.entries(ctx.config.experiments ?? {});
  if (changes.length === 0 && experiments.length === 0) return notRunResult(ctx, analysis, 'skipped', NOTHING_TO_MEASURE);
  const currency = ctx.config.currency;
  const slugs = uniqueSlugs(changes.map((c) => c.name));
  const measured: MeasuredChange[] = [];
  for (const [i, change] of changes.entries()) measured.push(await measureChange(ctx, change, i, slugs[i] ?? `change_${i}`));
  const readouts: ExperimentReadout[] = [];
  for (const [i, [key, spec]] of experiments.entries()) readouts.push(await readExperiment(ctx, key, spec, i));

  const parts = emptyParts();
  const changeClaims = new Map<string, Map<string, Claim>>();
  for (const m of measured) {
    if (m.skipped !== null) {
      parts.summary.push(`${changeHead(m)}: not measured: ${m.skipped}.`);
      continue;
    }
    const claims = screenClaims(
      m.effects.filter((e) => e.effect !== null).map((e) => ({ key: e.measure.key, kind: e.measure.kind, effect: e.effect as NonNullable<typeof e.effect>, standardised: e.standardised })),
      ctx.thresholds,
    );
    changeClaims.set(m.slug, claims);
    const report = changeReport(m, claims, currency, ctx.thresholds.fdr);
    parts.summary.push(...report.summary);
    parts.findings.push(...report.findings);
    parts.warnings.push(...report.warnings);
    const chart = monthlyChart(m);
    if (chart !== null) parts.charts.push(chart);
  }
  const experimentClaims = new Map<string, Map<string, Claim>>();
  for (const x of readouts) {
    if (x.skipped !== null) {
      parts.summary.push(`${experimentHead(x)}: not read out: ${x.skipped}.`);
      continue;
    }
    const claims = screenClaims(
      x.effects.filter((e) => e.effect !== null).map((e) => ({ key: e.measure.key, kind: e.measure.kind, effect: e.effect as NonNullable<typeof e.effect>, standardised: e.standardised })),
      ctx.thresholds,
    );
    experimentClaims.set(x.key, claims);
    parts.summary.push(ratioSentence(x));
    for (const e of x.effects) parts.summary.push(armSentence(x, e, currency));
    parts.findings.push(...experimentFindings(x, claims, currency));
    if (x.ratio?.mismatch === true) parts.warnings.push(ratioSentence(x));
  }
  if (measured.length > 0) {
    parts.tables.push(changesTable(measured), effectsTable(measured, changeClaims, currency), monthlyTable(measured));
  }
  if (readouts.length > 0) parts.tables.push(armsTable(readouts), armEffectsTable(readouts, experimentClaims, currency));

  const fdr = words.percent(ctx.thresholds.fdr, 0);
  const inPeriod = ctx.period === null ? '' : ` Only events ${describePeriod(ctx.period)} count: each window is cut to the period.`;
  return okResult(ctx, analysis, parts, {
    description:
      `Each change stored with \`cxray changes add\` is measured by difference-in-differences: the change in its segment from a before window (default ${CHANGE_WINDOW_DEFAULTS.beforeMonths} months before its date) to an after window (default ${CHANGE_WINDOW_DEFAULTS.afterMonths} months from it, cut at as_of), less the same change in a comparison group (the customers matching its comparison rule, else every customer outside the segment). ` +
      'Measures: NPS (each answer scored +100 promoter, 0 passive, −100 detractor), CSAT, churn per customer-month (compared as a ratio: the segment\'s after/before ratio over the comparison group\'s), net revenue (purchases and fees less refunds and credits) per customer-month, and the adoption of each behaviour declared by an event (the share of customers present in a window who had adopted it by its end; the before window counts it at the end of each of its halves, the placebo date and the date of the change, and averages the two); months count while a customer is a customer (signup, else first purchase, to churn or as_of). ' +
      'Each is the interaction of a saturated regression (least squares on the answers or customer-periods weighted by answers or months, Poisson with offset log(months) for churn), its standard error clustered by customer (CR1, as statsmodels\' cov_type=\'cluster\': the same customer answers before and after), computed in the engine from per-customer sums (answers, scores, months and their cross-products per window, one GROUP BY per table): the clustered variance of a saturated contrast depends on nothing else. Normal 95% intervals. ' +
      `Pre-trend: the same difference-in-differences between the two halves of the before window (the placebo date half-way through it), flagged at p < ${PRE_TREND_ALPHA}. ` +
      `A change's measures are screened together by Benjamini-Hochberg at ${fdr}, then each unit's practical threshold (NPS points; CSAT as a standardised difference; adoption in percentage points; churn a ratio of at least ${PRACTICAL_RATIO} either way; money in the workspace currency). A cell (group × window) with fewer than ${MIN_CELL_CUSTOMERS} customers measured (or, for churn, ${MIN_CELL_EVENTS} churns) is not compared. ` +
      `Experiments (cxray.yaml \`experiments\`): per arm, NPS and CSAT over the answers, net revenue per customer-month and adoption over each customer's history, each treatment − control with a clustered interval; churn as the hazard ratio of a piecewise-exponential model on person-time by month of tenure (Wald interval); the arm sizes tested against the planned split by χ² (a sample ratio mismatch at p < ${SAMPLE_RATIO_MISMATCH_ALPHA}); an experiment's measures screened together like a change's.${inPeriod}`,
    assumptions: [
      'Parallel trends: without the change, the segment\'s measures would have moved as the comparison group\'s did (when no comparison rule is given, the comparison group is the rest of the customers, who must then be a fair stand-in for the segment\'s path). The pre-trend check tests this on the before window; it cannot test it after the date.',
      'No other change hit the segment (or the comparison group) within the windows; a change without a segment touches every customer, and its estimate is a before/after difference in which any trend of the whole base counts.',
      'Customers stay in their group (segment attributes are read as of as_of); answers and months of one customer are correlated, which the clustered errors allow for.',
      'Experiments: the arms were assigned at random; churn is compared over each customer\'s whole follow-up, and the hazard ratio assumes the treatment multiplies churn alike at every tenure.',
      `Stated rate: when a change did nothing, some measure of it is claimed in at most ${fdr} of analyses (its measures screened together); each interval covers the true effect in 95% of them.`,
    ],
  });
}
