import { VEGA_LITE_SCHEMA } from '../charts.js';
import { groupTable } from '../result-builder.js';
import type { Cell, Chart, ResultTable } from '../result.js';
import type { ScoreDecile } from './calibration-deciles.js';
import type { FitExplanation } from './explain.js';
import { pointsPerUnit, type FitModel } from './fit-model.js';
import type { ScoreBin } from './score-histogram.js';
import { COMPONENT_KEYS } from './settings.js';

/** Each component: how it is measured, its spread among the customers scored, its fitted weight and the points one standard deviation is worth. */
export function componentsTable(model: FitModel, currency: string): ResultTable {
  const scale = pointsPerUnit(model);
  const rows: Cell[][] = model.components.map((c) => [
    c.spec.key,
    c.spec.label,
    c.spec.unit,
    c.spec.expectedSign > 0 ? 'higher is better' : 'lower is better',
    c.used ? 'used' : `left out: ${c.leftOut ?? 'no weight'}`,
    c.spec.missing === null ? c.centre : null,
    c.spec.missing === null ? c.sd : null,
    c.fitted?.sdAtCalibration ?? null,
    c.fitted?.estimate ?? null,
    c.fitted?.interval.lower ?? null,
    c.fitted?.interval.upper ?? null,
    c.fitted?.pValue ?? null,
    c.used ? c.perUnit * c.sd * scale : 0,
  ]);
  return {
    name: 'fit_components',
    columns: [
      { name: 'component', type: 'string', unit: null },
      { name: 'label', type: 'string', unit: null },
      { name: 'unit', type: 'string', unit: null },
      { name: 'direction', type: 'string', unit: null },
      { name: 'status', type: 'string', unit: null },
      { name: 'mean', type: 'number', unit: null },
      { name: 'sd', type: 'number', unit: null },
      { name: 'sd_at_calibration', type: 'number', unit: null },
      { name: 'fitted_weight_per_sd', type: 'number', unit: model.source === 'fitted' ? currency : null },
      { name: 'lower', type: 'number', unit: model.source === 'fitted' ? currency : null },
      { name: 'upper', type: 'number', unit: model.source === 'fitted' ? currency : null },
      { name: 'p_value', type: 'number', unit: null },
      { name: 'points_per_sd', type: 'number', unit: 'points' },
    ],
    rows,
  };
}

/** The model's scale: what a score of 0, the base and 100 stand for. */
export function scaleTable(model: FitModel, basePoints: number): ResultTable {
  return {
    name: 'fit_scale',
    columns: [
      { name: 'weights', type: 'string', unit: null },
      { name: 'prediction_unit', type: 'string', unit: null },
      { name: 'prediction_at_0', type: 'number', unit: null },
      { name: 'prediction_at_100', type: 'number', unit: null },
      { name: 'base_prediction', type: 'number', unit: null },
      { name: 'base_points', type: 'number', unit: 'points' },
      { name: 'customers_scored', type: 'integer', unit: 'customers' },
    ],
    rows: [[model.source, model.unit, model.low, model.high, model.base, basePoints, model.scored]],
  };
}

export function calibrationTable(deciles: readonly ScoreDecile[], currency: string): ResultTable {
  return groupTable(
    'fit_calibration',
    [
      { name: 'decile', type: 'integer' },
      { name: 'customers', type: 'integer', unit: 'customers' },
      { name: 'mean_score', type: 'number', unit: 'points' },
      { name: 'mean_forward_value', type: 'number', unit: currency },
      { name: 'lower', type: 'number', unit: currency },
      { name: 'upper', type: 'number', unit: currency },
    ],
    deciles.map((x) => [x.decile, x.customers, x.meanScore, x.forward?.estimate ?? null, x.forward?.interval.lower ?? null, x.forward?.interval.upper ?? null]),
    { countColumn: 'customers', keyColumns: ['decile'] },
  );
}

export function histogramTable(bins: readonly ScoreBin[]): ResultTable {
  return groupTable(
    'fit_distribution',
    [
      { name: 'from', type: 'integer', unit: 'points' },
      { name: 'to', type: 'integer', unit: 'points' },
      { name: 'customers', type: 'integer', unit: 'customers' },
    ],
    bins.map((b) => [b.from, b.to, b.customers]),
    { countColumn: 'customers', keyColumns: ['from', 'to'] },
  );
}

/** Example customers taken apart: base, each component's value and points, the score. */
export function examplesTable(examples: readonly FitExplanation[]): ResultTable {
  const columns = [
    { name: 'customer_id', type: 'string' as const, unit: null },
    { name: 'score', type: 'number' as const, unit: 'points' },
    { name: 'unclipped', type: 'number' as const, unit: 'points' },
    { name: 'base', type: 'number' as const, unit: 'points' },
    ...COMPONENT_KEYS.flatMap((k) => [
      { name: `${k}_value`, type: 'number' as const, unit: null },
      { name: `${k}_points`, type: 'number' as const, unit: 'points' },
    ]),
  ];
  const rows: Cell[][] = examples.map((e) => [
    e.customerId,
    e.score,
    e.unclipped,
    e.base,
    ...COMPONENT_KEYS.flatMap((k) => {
      const part = e.parts.find((p) => p.key === k);
      return part === undefined ? [null, null] : [part.value, part.points];
    }),
  ]);
  return { name: 'fit_examples', columns, rows };
}

export function histogramChart(bins: readonly ScoreBin[]): Chart {
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: 'Customers by fit score',
    data: { values: bins.map((b) => ({ bin: `${b.from}-${b.to}`, from: b.from, customers: b.customers >= 5 ? b.customers : null })) },
    mark: 'bar',
    encoding: {
      x: { field: 'bin', type: 'ordinal', sort: { field: 'from' }, title: 'fit score' },
      y: { field: 'customers', type: 'quantitative', title: 'customers' },
      tooltip: [{ field: 'bin', type: 'ordinal' }, { field: 'customers', type: 'quantitative' }],
    },
  };
}

/** Mean forward net value by tenth of the score at the calibration date, with intervals. */
export function calibrationChart(deciles: readonly ScoreDecile[], currency: string, months: number): Chart {
  const values = deciles
    .filter((x) => x.customers >= 5 && x.forward !== null)
    .map((x) => ({ decile: x.decile, value: x.forward?.estimate ?? null, lower: x.forward?.interval.lower ?? null, upper: x.forward?.interval.upper ?? null, n: x.customers }));
  const decile = { field: 'decile', type: 'ordinal', title: 'tenth of fit score at the calibration date (1 = lowest)' };
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: `Net value over the following ${months} months by fit score`,
    data: { values },
    layer: [
      {
        mark: { type: 'point', filled: true },
        encoding: {
          x: decile,
          y: { field: 'value', type: 'quantitative', title: `mean net value over the following ${months} months (${currency})` },
          tooltip: [
            { field: 'decile', type: 'ordinal' },
            { field: 'value', type: 'quantitative', format: ',.2f' },
            { field: 'lower', type: 'quantitative', format: ',.2f' },
            { field: 'upper', type: 'quantitative', format: ',.2f' },
            { field: 'n', type: 'quantitative' },
          ],
        },
      },
      { mark: 'rule', encoding: { x: decile, y: { field: 'lower', type: 'quantitative' }, y2: { field: 'upper' } } },
    ],
  };
}
