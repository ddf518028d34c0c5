import { describePeriod } from '../period.js';
import { emptyParts, okResult } from '../result-builder.js';
import type { Result } from '../result.js';
import type { Analysis, AnalysisContext } from '../types.js';
import { words } from '../wording.js';
import { calibrationDeciles } from './calibration-deciles.js';
import { exampleCustomers } from './explain.js';
import { explanationSentence, spreadFinding, weightFindings } from './fit-findings.js';
import { pointsPerUnit } from './fit-model.js';
import { fitScoreSql, lastDayBefore } from './fit-score.js';
import { calibrationChart, calibrationTable, componentsTable, examplesTable, histogramChart, histogramTable, scaleTable } from './fit-tables.js';
import { scoreHistogram } from './score-histogram.js';

/**
 * The fit score: each customer's value, satisfaction, cost to serve,
 * retention and referrals combined into 0-100 with weights fitted to the net
 * value customers went on to bring (else configured), every score taken
 * apart into its components' points, its distribution, and its calibration.
 */
export async function runFit(ctx: AnalysisContext, analysis: Pick<Analysis, 'name' | 'revision'>): Promise<Result> {
  const fit = await fitScoreSql(ctx);
  const { model } = fit;
  const currency = ctx.config.currency;
  const months = fit.settings.calibrationMonths;
  const parts = emptyParts();
  const deciles = await calibrationDeciles(ctx, fit);
  const bins = await scoreHistogram(ctx, fit);
  const examples = await exampleCustomers(ctx, fit);
  const used = model.components.filter((c) => c.used);
  const scale = pointsPerUnit(model);
  const when = ctx.period === null ? `as of ${ctx.asOf}` : `from what happened ${describePeriod(ctx.period)}`;

  parts.summary.push(
    `Fit scores from 0 to 100 for ${words.count(model.scored)} customers ${when} combine ${words.list(used.map((c) => c.spec.label))}` +
      (fit.calibration === null
        ? `, with configured weights (${fit.configuredBecause ?? ''}).`
        : `, weighted by what predicted the net value of the ${words.count(fit.calibration.result.customers)} customers who had started by ${lastDayBefore(fit.calibration.at)} over the next ${months} months (R² ${words.percent(fit.calibration.result.rSquared)}).`),
  );
  const strongest = [...used].sort((a, b) => Math.abs(b.perUnit * b.sd) - Math.abs(a.perUnit * a.sd))[0];
  if (strongest !== undefined) {
    parts.summary.push(
      `One standard deviation of ${strongest.spec.label} moves the score most: ${words.number(Math.abs(strongest.perUnit * strongest.sd * scale), 1)} points; ` +
        `a customer average on every component scores ${words.number(fit.expressions.basePoints, 1)}.`,
    );
  }
  for (const c of model.components.filter((x) => x.leftOut === 'against its expected direction')) {
    parts.summary.push(
      `${c.spec.label[0]?.toUpperCase() ?? ''}${c.spec.label.slice(1)} gets no weight: customers with ${c.spec.expectedSign > 0 ? 'more' : 'less'} of it did not go on to bring more (its fitted weight points the other way), so the score does not reward it.`,
    );
  }
  const notMeasured = model.components.filter((c) => c.spec.missing !== null);
  if (notMeasured.length > 0) parts.summary.push(`Not in the score: ${words.list(notMeasured.map((c) => `${c.spec.label} (${c.spec.missing ?? ''})`))}.`);
  const spread = spreadFinding(ctx, fit, deciles);
  if (spread[0] !== undefined) parts.summary.push(spread[0].text);
  const median = examples[Math.floor(examples.length / 2)];
  if (median !== undefined) parts.summary.push(explanationSentence(fit, median));

  parts.findings.push(...weightFindings(ctx, fit), ...spread);
  parts.tables.push(componentsTable(model, currency), scaleTable(model, fit.expressions.basePoints), calibrationTable(deciles, currency), histogramTable(bins), examplesTable(examples));
  parts.charts.push(histogramChart(bins));
  if (deciles.length > 0) parts.charts.push(calibrationChart(deciles, currency, months));
  if (fit.calibration !== null && deciles.length >= 2) {
    const falls = deciles.slice(1).filter((x, i) => x.forward !== null && deciles[i]?.forward != null && x.forward.interval.upper < (deciles[i]?.forward?.estimate ?? 0));
    if (falls.length > 0) parts.warnings.push(`The score's calibration is not monotone: in ${falls.length} tenth(s) customers brought clearly less than in the tenth below.`);
  }

  const components = model.components.map((c) => `${c.spec.label} (${c.spec.expectedSign > 0 ? 'higher is better' : 'lower is better'})`).join('; ');
  return okResult(ctx, analysis, parts, {
    description:
      `Components per customer: ${components}. Per-month measures divide by the months of exposure (from signup, else the first purchase, to churn, else the end of the history), at least one. ` +
      (fit.calibration === null
        ? `Weights: the importances of cxray.yaml fit.weights (default 1 each) per standard deviation of each component among the customers scored, each in its expected direction, because ${fit.configuredBecause ?? ''}. `
        : `Weights: least squares (robust HC1 intervals, computed in SQL) of the net value each customer brought over the ${months} months after ${lastDayBefore(fit.calibration.at)} on the components standardised as they stood then (only events before it), ` +
          'over the customers who had started by then; a component whose weight came out against its expected direction is left out and the rest fitted again. ') +
      `Score: the prediction mapped linearly onto 0-100 (its 1st percentile among the customers scored to 0, its 99th to 100, clipped), so each component's points are its weight × how far the customer is from the average customer; the points and the base (the score of a customer average on everything) add up to the score. ` +
      'Calibration: the calibration customers in tenths of the score they had at the calibration date, with the mean net value each tenth brought afterwards (t intervals; in-sample).',
    assumptions: [
      'A component not measured for a customer (no survey answer) counts as average: it adds no points either way.',
      'Satisfaction is the mean of the customer’s answers to the instrument found (NPS 0-10, else CSAT); referrals are the referrals made; retention is not having churned by the date.',
      'Cost to serve is already inside net value; as a component of its own it says whether costly-to-serve customers are worse fits beyond their net value.',
      ...(fit.calibration === null ? [] : [`The weights describe what went with later value in this company's recent history (${lastDayBefore(fit.calibration.at)} onwards); they are associations, not causes.`]),
    ],
  });
}
