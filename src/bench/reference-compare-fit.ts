import type { Result } from '../analysis/result.js';
import { CheckBuilder, DOUBLE_TOLERANCE, REGRESSION_TOLERANCE, statusCheck, type FigureCheck, type ValueKind } from './reference-compare-checks.js';
import { compareTables, type ReferenceTable, type TableRules } from './reference-compare-tables.js';

/** The fit part of the reference's JSON (bench/reference/fit.py). */
export interface ReferenceFit {
  status: 'ok' | 'skipped';
  reason?: string;
  weights?: 'fitted' | 'configured';
  calibration_customers?: number | null;
  r_squared?: number | null;
  /** Top tenth against bottom tenth of the score at the calibration date: forward net value. */
  calibration_spread?: { estimate: number; lower: number; upper: number; n: number } | null;
  tables?: Record<string, ReferenceTable>;
}

/** Closed-form figures of the components (their means and spreads, the deciles' forward value) as doubles; everything the weights feed as a regression. */
const componentKind = (c: string): ValueKind =>
  c === 'component' || c === 'status' ? 'exact' : ['mean', 'sd', 'sd_at_calibration'].includes(c) ? 'double' : c === 'p_value' ? 'regression_p_value' : 'regression';

const TABLES: TableRules = {
  fit_components: { keys: ['component'], kindOf: componentKind },
  fit_scale: { keys: ['weights'], kindOf: (c) => (['weights', 'prediction_unit', 'customers_scored'].includes(c) ? 'exact' : 'regression') },
  fit_calibration: { keys: ['decile'], kindOf: (c) => (c === 'decile' || c === 'customers' ? 'exact' : c === 'mean_score' ? 'regression' : 'double') },
  fit_distribution: { keys: ['from'], kindOf: () => 'exact' },
  // By position (the 5th..95th percentiles): the customer picked exactly, its values closed form, its points from the weights.
  fit_examples: { keys: [], kindOf: (c) => (c === 'customer_id' ? 'exact' : c.endsWith('_value') ? 'double' : 'regression') },
};

const TOLERANCE = `labels, counts, deciles and the customers picked exact; component means, SDs and forward value ${DOUBLE_TOLERANCE}; weights, scale, scores and points ${REGRESSION_TOLERANCE}`;

/**
 * The fit Result against the reference's own fit score: each component's
 * spread and fitted weight (the calibration regression solved by numpy or
 * statsmodels), the scale, the histogram, the calibration deciles, the
 * example customers and the top-against-bottom spread of forward value.
 */
export function compareFit(result: Result | undefined, reference: ReferenceFit | undefined): FigureCheck[] {
  const checks = [statusCheck('fit status', reference, result)];
  if (reference?.status !== 'ok' || result?.status !== 'ok') return checks;
  checks.push(...compareTables('fit', reference.tables, result, TABLES, TOLERANCE));
  const spread = new CheckBuilder('fit calibration spread', `n exact; ${DOUBLE_TOLERANCE}`);
  const f = result.findings.find((x) => x.code === 'fit.calibration_spread');
  const ref = reference.calibration_spread ?? null;
  spread.add('n', ref?.n ?? null, f?.n ?? null);
  spread.add('estimate', ref?.estimate ?? null, f?.estimate ?? null, 'double');
  spread.add('lower', ref?.lower ?? null, f?.interval.lower ?? null, 'double');
  spread.add('upper', ref?.upper ?? null, f?.interval.upper ?? null, 'double');
  checks.push(spread.build());
  return checks;
}
