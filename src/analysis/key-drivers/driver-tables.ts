import { groupTable } from '../result-builder.js';
import type { Cell, ResultTable } from '../result.js';
import type { ImportancePerformance } from './importance-performance.js';
import type { DriverModel } from './types.js';

/** A model's weights, one row per weighed driver, largest first. */
export function weightsTable(name: string, model: DriverModel): ResultTable {
  const rows: Cell[][] = model.drivers.map((d) => [
    d.spec.name,
    d.spec.label,
    d.spec.kind,
    model.n,
    d.rank,
    d.correlation,
    d.standardizedCoefficient,
    d.correlation >= 0 ? 'positive' : 'negative',
    d.rawWeight,
    d.rawInterval.lower,
    d.rawInterval.upper,
    d.share,
    d.shareInterval.lower,
    d.shareInterval.upper,
    Math.sign(d.standardizedCoefficient) !== Math.sign(d.correlation) && d.standardizedCoefficient !== 0
      ? 'its standardized coefficient has the opposite sign of its correlation: its weight comes from what it shares with other drivers'
      : null,
  ]);
  return groupTable(
    name,
    [
      { name: 'driver', type: 'string' },
      { name: 'label', type: 'string' },
      { name: 'kind', type: 'string' },
      { name: 'n', type: 'integer', unit: model.rowsAre },
      { name: 'rank', type: 'integer' },
      { name: 'correlation', type: 'number' },
      { name: 'standardized_coefficient', type: 'number' },
      { name: 'direction', type: 'string' },
      { name: 'raw_weight', type: 'number', unit: 'share' },
      { name: 'raw_lower', type: 'number', unit: 'share' },
      { name: 'raw_upper', type: 'number', unit: 'share' },
      { name: 'share', type: 'number', unit: 'share' },
      { name: 'share_lower', type: 'number', unit: 'share' },
      { name: 'share_upper', type: 'number', unit: 'share' },
      { name: 'note', type: 'string' },
    ],
    rows,
    { countColumn: 'n', keyColumns: ['driver', 'label', 'kind'] },
  );
}

/** The drivers each model left out, and why. */
export function excludedTable(models: readonly { model: string; result: DriverModel }[]): ResultTable {
  return {
    name: 'excluded_drivers',
    columns: [
      { name: 'model', type: 'string', unit: null },
      { name: 'driver', type: 'string', unit: null },
      { name: 'reason', type: 'string', unit: null },
      { name: 'detail', type: 'string', unit: null },
    ],
    rows: models.flatMap(({ model, result }) => result.excluded.map((e): Cell[] => [model, e.spec.name, e.reason, e.text])),
  };
}

/** Importance x performance, one row per area (areas not weighed have no importance). */
export function matrixTable(matrix: ImportancePerformance, scale: { low: number; high: number }): ResultTable {
  const rows: Cell[][] = matrix.points.map((p) => [
    p.performance.area.name,
    p.performance.area.label,
    p.performance.n,
    p.performance.coverage,
    p.weight?.share ?? null,
    p.weight?.shareInterval.lower ?? null,
    p.weight?.shareInterval.upper ?? null,
    p.performance.n > 0 ? p.performance.meanRating : null,
    p.performance.performance,
    p.performance.performanceInterval?.lower ?? null,
    p.performance.performanceInterval?.upper ?? null,
    `${scale.low}-${scale.high}`,
    p.quadrant,
  ]);
  return groupTable(
    'importance_performance',
    [
      { name: 'area', type: 'string' },
      { name: 'label', type: 'string' },
      { name: 'responses', type: 'integer', unit: 'responses' },
      { name: 'coverage', type: 'number', unit: 'share' },
      { name: 'importance', type: 'number', unit: 'share' },
      { name: 'importance_lower', type: 'number', unit: 'share' },
      { name: 'importance_upper', type: 'number', unit: 'share' },
      { name: 'mean_rating', type: 'number' },
      { name: 'performance', type: 'number', unit: 'score 0-100' },
      { name: 'performance_lower', type: 'number', unit: 'score 0-100' },
      { name: 'performance_upper', type: 'number', unit: 'score 0-100' },
      { name: 'rating_scale', type: 'string' },
      { name: 'quadrant', type: 'string' },
    ],
    rows,
    { countColumn: 'responses', keyColumns: ['area', 'label'] },
  );
}
