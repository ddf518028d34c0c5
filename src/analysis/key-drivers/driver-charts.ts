import { VEGA_LITE_SCHEMA } from '../charts.js';
import type { Chart } from '../result.js';
import type { ImportancePerformance } from './importance-performance.js';
import type { DriverModel } from './types.js';

/** Horizontal bars of each driver's share of the explained variance, with its bootstrap interval as a rule. */
export function weightsChart(title: string, model: DriverModel): Chart {
  return {
    $schema: VEGA_LITE_SCHEMA,
    title,
    data: {
      values: model.drivers.map((d) => ({
        driver: d.spec.label,
        share: d.share,
        lower: d.shareInterval.lower,
        upper: d.shareInterval.upper,
        direction: d.correlation >= 0 ? 'positive' : 'negative',
        n: model.n,
      })),
    },
    encoding: { y: { field: 'driver', type: 'nominal', sort: '-x', title: null } },
    layer: [
      {
        mark: 'bar',
        encoding: {
          x: { field: 'share', type: 'quantitative', axis: { format: '%' }, title: `share of the explained variation in ${model.outcome.label}` },
          color: { field: 'direction', type: 'nominal', title: 'direction', scale: { domain: ['positive', 'negative'] } },
          tooltip: [
            { field: 'driver', type: 'nominal' },
            { field: 'share', type: 'quantitative', format: '.1%' },
            { field: 'lower', type: 'quantitative', format: '.1%' },
            { field: 'upper', type: 'quantitative', format: '.1%' },
            { field: 'direction', type: 'nominal' },
            { field: 'n', type: 'quantitative' },
          ],
        },
      },
      { mark: 'rule', encoding: { x: { field: 'lower', type: 'quantitative' }, x2: { field: 'upper' } } },
    ],
  };
}

/**
 * The importance x performance matrix: one point per weighed area, split by
 * rules at the equal share (importance) and the mean performance; the
 * bottom-right quadrant (important, weak) is where to act first.
 */
export function matrixChart(title: string, matrix: ImportancePerformance): Chart {
  const values = matrix.points
    .filter((p) => p.weight !== null && p.performance.performance !== null)
    .map((p) => ({
      area: p.performance.area.label,
      importance: p.weight?.share ?? null,
      performance: p.performance.performance,
      quadrant: p.quadrant,
      n: p.performance.n,
    }));
  return {
    $schema: VEGA_LITE_SCHEMA,
    title,
    data: { values },
    layer: [
      {
        mark: { type: 'point', filled: true, size: 80 },
        encoding: {
          x: { field: 'importance', type: 'quantitative', axis: { format: '%' }, title: 'importance (share of the explained variation)' },
          y: { field: 'performance', type: 'quantitative', scale: { domain: [0, 100] }, title: 'performance (mean rating, 0-100)' },
          color: { field: 'quadrant', type: 'nominal', title: 'quadrant', scale: { domain: ['fix first', 'keep up', 'low priority', 'possible overkill'] } },
          tooltip: [
            { field: 'area', type: 'nominal' },
            { field: 'importance', type: 'quantitative', format: '.1%' },
            { field: 'performance', type: 'quantitative', format: '.1f' },
            { field: 'quadrant', type: 'nominal' },
            { field: 'n', type: 'quantitative' },
          ],
        },
      },
      { mark: { type: 'text', align: 'left', dx: 6 }, encoding: { x: { field: 'importance', type: 'quantitative' }, y: { field: 'performance', type: 'quantitative' }, text: { field: 'area' } } },
      { mark: { type: 'rule', strokeDash: [4, 4] }, encoding: { x: { datum: matrix.importanceLine ?? 0 } } },
      { mark: { type: 'rule', strokeDash: [4, 4] }, encoding: { y: { datum: matrix.performanceLine ?? 0 } } },
    ],
  };
}
