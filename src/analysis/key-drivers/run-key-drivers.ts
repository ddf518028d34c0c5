import { describePeriod } from '../period.js';
import { emptyParts, notRunResult, okResult } from '../result-builder.js';
import type { Result } from '../result.js';
import type { Analysis, AnalysisContext } from '../types.js';
import { words } from '../wording.js';
import { matrixChart, weightsChart } from './driver-charts.js';
import { COLLINEAR_CORRELATION, LEAK_CORRELATION, MAXIMUM_VIF, ROWS_PER_DRIVER } from './driver-checks.js';
import { leadersWords, rSquaredFinding, weightFindings } from './driver-findings.js';
import { excludedTable, matrixTable, weightsTable } from './driver-tables.js';
import { fixFirstFinding, importancePerformance } from './importance-performance.js';
import { retentionDrivers } from './retention-drivers.js';
import { MINIMUM_COVERAGE, REPLICATES, satisfactionDrivers } from './satisfaction-drivers.js';
import { surveyLayout } from './survey-layout.js';

/**
 * Key drivers: what drives satisfaction (the overall survey answer, by the
 * area ratings of the same response) and retention (churn over the fixed
 * window, by behaviours, contacts, tenure and ratings measured before it),
 * as Johnson's relative weights with bootstrap intervals, and the
 * importance x performance matrix of the areas. The correlation matrices
 * and every bootstrap replicate are sums computed in SQL; TypeScript solves
 * the small eigenproblems.
 */
export async function runKeyDrivers(ctx: AnalysisContext, analysis: Pick<Analysis, 'name' | 'revision' | 'description'>): Promise<Result> {
  const layout = await surveyLayout(ctx);
  if (typeof layout === 'string') return notRunResult(ctx, analysis, 'skipped', layout);
  const satisfaction = await satisfactionDrivers(ctx, layout);
  const retention = await retentionDrivers(ctx, satisfaction.modelAreas);
  const { model, performance, outcome } = satisfaction;
  const matrix = importancePerformance(ctx, model, performance, satisfaction.point, satisfaction.modelAreas.map((a) => a.name));

  const parts = emptyParts();
  const when = ctx.period === null ? '' : ` ${describePeriod(ctx.period)}`;
  parts.summary.push(
    `Satisfaction is read from ${outcome.full}, in ${words.count(performance.outcomeResponses)} survey responses${when}; the drivers are the ${satisfaction.modelAreas.length} experience areas rated in the same responses.`,
  );
  if (model.withheld === null && model.rSquared !== null) {
    parts.summary.push(`The area ratings explain ${words.percent(model.rSquared)} of the variation in ${outcome.label} (n = ${words.count(model.n)} responses rating every area). Largest drivers: ${leadersWords(model)}.`);
  } else {
    parts.summary.push(`No satisfaction driver weights: ${model.withheld ?? ''}`);
  }
  const fixFirst = fixFirstFinding(model, matrix);
  if (fixFirst[0] !== undefined) parts.summary.push(fixFirst[0].text);
  else if (matrix.fixFirst !== null) {
    const f = matrix.fixFirst;
    parts.summary.push(
      `No high-importance area scores clearly below the others: the weakest, ${f.point.performance.area.label}, is ${f.gap.toFixed(1)} points from them (q = ${f.qValue.toFixed(3)}), which does not pass both the false discovery rate and the ${ctx.thresholds.byUnit['points'] ?? 0}-point threshold.`,
    );
  }
  if (retention.model !== null) {
    const r = retention.model;
    parts.summary.push(
      r.withheld === null
        ? `Retention: the largest drivers of ${r.outcome.label} are ${leadersWords(r)} (n = ${words.count(r.n)} customers; together R² = ${words.percent(r.rSquared ?? 0)}).`
        : `No retention driver weights: ${r.withheld}`,
    );
  } else if (retention.gap !== null) parts.summary.push(retention.gap);

  parts.findings.push(
    ...fixFirst,
    ...rSquaredFinding(model, 'key-drivers.satisfaction_r_squared', 'The area ratings together'),
    ...weightFindings(model, 'key-drivers.satisfaction_weight'),
  );
  if (retention.model !== null) {
    parts.findings.push(...rSquaredFinding(retention.model, 'key-drivers.retention_r_squared', 'The retention drivers together'), ...weightFindings(retention.model, 'key-drivers.retention_weight'));
  }
  parts.tables.push(weightsTable('satisfaction_drivers', model), matrixTable(matrix, performance.scale));
  if (retention.model !== null) parts.tables.push(weightsTable('retention_drivers', retention.model));
  parts.tables.push(excludedTable([{ model: 'satisfaction', result: model }, ...(retention.model === null ? [] : [{ model: 'retention', result: retention.model }])]));
  if (model.drivers.length > 0) {
    parts.charts.push(weightsChart(`What drives ${outcome.label}`, model), matrixChart('Importance x performance of the experience areas', matrix));
  }
  if (retention.model !== null && retention.model.drivers.length > 0) parts.charts.push(weightsChart(`What drives ${retention.model.outcome.label}`, retention.model));
  parts.warnings.push(
    ...satisfaction.warnings.map((w) => `Satisfaction drivers: ${w}`),
    ...model.warnings.map((w) => `Satisfaction drivers: ${w}`),
    ...(model.withheld === null ? [] : [`Satisfaction drivers: ${model.withheld}`]),
    ...retention.warnings,
    ...(retention.model?.warnings ?? []),
    ...(retention.model === null || retention.model.withheld === null ? [] : [`Retention drivers: ${retention.model.withheld}`]),
  );

  return okResult(ctx, analysis, parts, {
    description:
      "Johnson's relative weights (Johnson 2000): each driver's share of the variance in the outcome that the drivers explain together (R²), from the correlation matrix of the complete rows, " +
      'computed in SQL as sufficient statistics (count, sums and cross-products). Intervals are 95% bootstrap percentile intervals over ' +
      `${REPLICATES} Poisson(1) replicates whose weights come from a portable hash of the customer and the replicate number, so every engine draws the same replicates and all of a customer's rows are resampled together. ` +
      'Satisfaction: the overall answer of each survey response against the area ratings of the same response. Retention: churn over the fixed window against drivers measured before it. ' +
      'Importance x performance: each area\'s share (importance) against its mean rating rescaled to 0-100 (performance).',
    assumptions: [
      `Satisfaction outcome: ${outcome.full}. A response is its response_id, else one customer's answers at one instant; several answers about one area in a response are averaged. Areas follow cxray.yaml's experience_areas (survey_areas); an area it does not name stands for itself.`,
      `Only responses that rate every weighed area enter the weights (complete rows); an area rated in under ${words.percent(MINIMUM_COVERAGE, 0)} of the responses is left out of the weights. ${ctx.period === null ? '' : `Only answers ${describePeriod(ctx.period)} count. `}The bootstrap resamples customers, not responses.`,
      `Direction is the sign of the driver's correlation with the outcome; the standardized coefficient is shown beside it. Warnings: a driver with |r| ≥ ${LEAK_CORRELATION} with the outcome, or a flag level where all or none churned (beyond chance), is a likely leak and left out; pairs with |r| ≥ ${COLLINEAR_CORRELATION} or a VIF above ${MAXIMUM_VIF} are named as nearly collinear, exactly collinear ones left out; with fewer than ${ROWS_PER_DRIVER} complete rows per driver no weights are shown.`,
      `Performance rescales the mean rating from the scale ${performance.scale.low}-${performance.scale.high} (read from the answers: the smallest usual scale holding them) to 0-100, with a t interval over the responses that rated the area. An area is of high importance when its share is at least an equal share (1 / areas weighed); the area to fix first is the weakest of those, and its gap to the other high-importance areas (paired, on the complete responses, in points of 0-100) must pass Benjamini-Hochberg at ${ctx.thresholds.fdr} and the practical threshold of ${ctx.thresholds.byUnit['points'] ?? 0} points.`,
      ...retention.assumptions,
    ],
  });
}
