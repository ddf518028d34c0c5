import { isSuppressed } from '../../stats/index.js';
import { VEGA_LITE_SCHEMA } from '../charts.js';
import type { Chart } from '../result.js';
import type { SatisfactionSeries, SeriesPlan } from './satisfaction-series.js';
import type { Scorecard } from './scorecard-model.js';

const STATUS_DOMAIN = ['weak', 'average', 'strong', 'not rated'];

/**
 * Each area's score with its interval, against the overall (a solid rule)
 * and the margin either side (dashed): an area is weak when its whole
 * interval lies left of the left dashed line.
 */
export function areasChart(card: Scorecard): Chart {
  const overall = card.overall?.score ?? 0;
  const values = card.areas
    .filter((a) => a.score !== null && !isSuppressed(a.n))
    .map((a) => ({ area: a.area.label, score: a.score?.score ?? null, lower: a.score?.interval.lower ?? null, upper: a.score?.interval.upper ?? null, status: a.rating.status ?? 'not rated', n: a.n }));
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: 'Experience areas against the overall',
    data: { values },
    // Sorted by a field, not by channel ('-x'): a layer drawing a rule at an x datum has no x field to sort by, which Vega-Lite refuses.
    encoding: { y: { field: 'area', type: 'nominal', sort: { field: 'score', op: 'max', order: 'descending' }, title: null } },
    layer: [
      { mark: 'rule', encoding: { x: { field: 'lower', type: 'quantitative', scale: { domain: [0, 100] }, title: 'score (mean rating, 0-100)' }, x2: { field: 'upper' } } },
      {
        mark: { type: 'point', filled: true, size: 80 },
        encoding: {
          x: { field: 'score', type: 'quantitative' },
          color: { field: 'status', type: 'nominal', title: 'status', scale: { domain: STATUS_DOMAIN } },
          tooltip: [
            { field: 'area', type: 'nominal' },
            { field: 'score', type: 'quantitative', format: '.1f' },
            { field: 'lower', type: 'quantitative', format: '.1f' },
            { field: 'upper', type: 'quantitative', format: '.1f' },
            { field: 'status', type: 'nominal' },
            { field: 'n', type: 'quantitative' },
          ],
        },
      },
      { mark: 'rule', encoding: { x: { datum: overall } } },
      { mark: { type: 'rule', strokeDash: [4, 4] }, encoding: { x: { datum: overall - card.margin } } },
      { mark: { type: 'rule', strokeDash: [4, 4] }, encoding: { x: { datum: overall + card.margin } } },
    ],
  };
}

/**
 * Importance (share of the explained variation, from key-drivers) against
 * the score, one point per weighed area coloured by its status, with rules
 * at the equal share and the overall. Null without importance.
 */
export function matrixChart(card: Scorecard): Chart | null {
  if (card.importance === null) return null;
  const values = card.areas
    .filter((a) => a.importance !== null && a.score !== null && !isSuppressed(a.n))
    .map((a) => ({ area: a.area.label, importance: a.importance?.share ?? null, score: a.score?.score ?? null, status: a.rating.status ?? 'not rated', quadrant: a.quadrant, n: a.n }));
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: 'Importance x performance: where to act first',
    data: { values },
    layer: [
      {
        mark: { type: 'point', filled: true, size: 80 },
        encoding: {
          x: { field: 'importance', type: 'quantitative', axis: { format: '%' }, title: 'importance (share of the explained variation)' },
          y: { field: 'score', type: 'quantitative', scale: { domain: [0, 100] }, title: 'score (mean rating, 0-100)' },
          color: { field: 'status', type: 'nominal', title: 'status', scale: { domain: STATUS_DOMAIN } },
          tooltip: [
            { field: 'area', type: 'nominal' },
            { field: 'importance', type: 'quantitative', format: '.1%' },
            { field: 'score', type: 'quantitative', format: '.1f' },
            { field: 'status', type: 'nominal' },
            { field: 'quadrant', type: 'nominal' },
            { field: 'n', type: 'quantitative' },
          ],
        },
      },
      { mark: { type: 'text', align: 'left', dx: 6 }, encoding: { x: { field: 'importance', type: 'quantitative' }, y: { field: 'score', type: 'quantitative' }, text: { field: 'area' } } },
      { mark: { type: 'rule', strokeDash: [4, 4] }, encoding: { x: { datum: card.importance.equalShare } } },
      { mark: { type: 'rule', strokeDash: [4, 4] }, encoding: { y: { datum: card.overall?.score ?? 0 } } },
    ],
  };
}

/** One question over time: the estimate per period with its interval band, the control limits as dashed lines, signals marked. */
export function seriesChart(plan: SeriesPlan, s: SatisfactionSeries): Chart {
  // Periods of under 5 answers are left out, as in the table.
  const values = s.points.filter((p) => !isSuppressed(p.point.n)).map((p) => ({
    period: p.period,
    value: p.point.estimate,
    lower: p.point.interval.lower,
    upper: p.point.interval.upper,
    lower_limit: p.point.lowerLimit,
    upper_limit: p.point.upperLimit,
    signal: p.point.signal ?? 'within limits',
    n: p.point.n,
  }));
  const title = s.scale === null ? 'NPS (-100 to 100)' : `${s.label} (0-100 over ${s.scale.low}-${s.scale.high})`;
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: `${s.label} by ${plan.unit}, with control limits`,
    data: { values },
    encoding: { x: { field: 'period', type: 'ordinal', title: plan.unit } },
    layer: [
      { mark: { type: 'errorband', opacity: 0.2 }, encoding: { y: { field: 'lower', type: 'quantitative', title }, y2: { field: 'upper' } } },
      { mark: { type: 'line', strokeDash: [4, 4] }, encoding: { y: { field: 'lower_limit', type: 'quantitative' } } },
      { mark: { type: 'line', strokeDash: [4, 4] }, encoding: { y: { field: 'upper_limit', type: 'quantitative' } } },
      {
        mark: { type: 'line', point: true },
        encoding: {
          y: { field: 'value', type: 'quantitative' },
          tooltip: [
            { field: 'period', type: 'ordinal' },
            { field: 'value', type: 'quantitative', format: '.1f' },
            { field: 'lower', type: 'quantitative', format: '.1f' },
            { field: 'upper', type: 'quantitative', format: '.1f' },
            { field: 'signal', type: 'nominal' },
            { field: 'n', type: 'quantitative' },
          ],
        },
      },
      { mark: { type: 'point', filled: true, size: 90, shape: 'diamond' }, transform: [{ filter: "datum.signal !== 'within limits'" }], encoding: { y: { field: 'value', type: 'quantitative' }, color: { field: 'signal', type: 'nominal', title: 'signal' } } },
    ],
  };
}
