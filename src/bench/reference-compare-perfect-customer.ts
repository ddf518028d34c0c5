import type { Result } from '../analysis/result.js';
import { CheckBuilder, DOUBLE_TOLERANCE, REGRESSION_TOLERANCE, statusCheck, type FigureCheck, type ValueKind } from './reference-compare-checks.js';
import { compareTable, type ReferenceTable } from './reference-compare-tables.js';

/** The perfect-customer part of the reference's JSON (bench/reference/perfect_customer.py). */
export interface ReferencePerfectCustomer {
  status: 'ok' | 'skipped';
  reason?: string;
  /** The facts columns adjusted for. */
  covariates?: string[];
  satisfaction_measure?: string | null;
  retention_window?: { kind: string; start: string | null; customers: number; churners: number } | null;
  index_mean?: { n: number; estimate: number; lower: number; upper: number };
  tables?: Record<string, ReferenceTable>;
}

const REGRESSION_COLUMNS = new Set(['raw_per_month', 'adjusted_per_month', 'lower', 'upper', 'adjusted_difference', 'adjusted_lower', 'adjusted_upper', 'adjusted_odds_ratio', 'or_lower', 'or_upper', 'weight']);
const DOUBLE_COLUMNS = new Set(['share', 'raw_difference', 'raw_lower', 'raw_upper']);

/**
 * How each table's cells compare: counts, labels and sources exactly; the
 * closed-form figures (adoption shares with Wilson intervals, raw NPS and
 * churn differences) as doubles; the regression figures (money per month,
 * adjusted NPS, odds ratios, and the index weights, which are the estimated
 * values rescaled) to the regression tolerance. `lower`/`upper` are Wilson
 * bounds in `adoption` and robust-interval bounds in `value_components`.
 */
const TABLES: Readonly<Record<string, { keys: string[]; kindOf: (column: string) => ValueKind }>> = {
  adoption: { keys: ['behaviour'], kindOf: (c) => (['share', 'lower', 'upper'].includes(c) ? 'double' : 'exact') },
  value_components: { keys: ['behaviour', 'component'], kindOf: (c) => (c === 'p_value' ? 'regression_p_value' : REGRESSION_COLUMNS.has(c) ? 'regression' : 'exact') },
  satisfaction: { keys: ['behaviour', 'measure'], kindOf: (c) => (REGRESSION_COLUMNS.has(c) ? 'regression' : DOUBLE_COLUMNS.has(c) ? 'double' : 'exact') },
  retention: { keys: ['behaviour'], kindOf: (c) => (REGRESSION_COLUMNS.has(c) ? 'regression' : DOUBLE_COLUMNS.has(c) ? 'double' : 'exact') },
  index_weights: { keys: ['behaviour'], kindOf: (c) => (c === 'weight' ? 'regression' : 'exact') },
};

const TOLERANCE = `counts and labels exact; shares and raw differences ${DOUBLE_TOLERANCE}; regression figures ${REGRESSION_TOLERANCE}`;

/**
 * The perfect-customer Result against the reference: adoption, each value
 * component raw and adjusted, each behaviour's value (its finding),
 * satisfaction and retention raw and adjusted, the index weights and the
 * index mean (its finding).
 */
export function comparePerfectCustomer(result: Result | undefined, reference: ReferencePerfectCustomer | undefined): FigureCheck[] {
  // Without declared behaviours cxray still runs (the screen of every behaviour event) but values none: read that as skipped.
  const valued = result?.status === 'ok' && !result.tables.some((t) => t.name === 'adoption') ? { ...result, status: 'skipped' as const } : result;
  const checks = [statusCheck('perfect-customer status', reference, valued)];
  if (reference?.status !== 'ok' || result?.status !== 'ok') return checks;
  for (const [name, rule] of Object.entries(TABLES)) {
    const table = reference.tables?.[name];
    if (table === undefined) continue;
    checks.push(compareTable(`perfect-customer ${name}`, table, result.tables.find((t) => t.name === name), { ...rule, tolerance: TOLERANCE }));
  }
  const value = new CheckBuilder('perfect-customer value findings', `n exact; ${REGRESSION_TOLERANCE}`);
  const valueTable = reference.tables?.['value'];
  for (const row of valueTable?.rows ?? []) {
    const cell = (column: string): unknown => row[valueTable?.columns.indexOf(column) ?? -1];
    const behaviour = String(cell('behaviour'));
    const f = result.findings.find((x) => x.code === `perfect_customer.value.${behaviour}`);
    if (f === undefined) {
      value.missing(behaviour, 'finding', null);
      continue;
    }
    value.add(`${behaviour}: n`, cell('n'), f.n);
    value.add(`${behaviour}: estimate`, cell('estimate'), f.estimate, 'regression');
    value.add(`${behaviour}: lower`, cell('lower'), f.interval?.lower ?? null, 'regression');
    value.add(`${behaviour}: upper`, cell('upper'), f.interval?.upper ?? null, 'regression');
    value.add(`${behaviour}: p_value`, cell('p_value'), f.pValue ?? null, 'regression_p_value');
  }
  checks.push(value.build());
  const index = new CheckBuilder('perfect-customer index mean', `n exact; ${REGRESSION_TOLERANCE} (the weights are estimated values); t interval`);
  const mean = result.findings.find((x) => x.code === 'perfect_customer.index_mean');
  const ref = reference.index_mean;
  index.add('n', ref?.n ?? null, mean?.n ?? null);
  index.add('estimate', ref?.estimate ?? null, mean?.estimate ?? null, 'regression');
  index.add('lower', ref?.lower ?? null, mean?.interval?.lower ?? null, 'regression');
  index.add('upper', ref?.upper ?? null, mean?.interval?.upper ?? null, 'regression');
  checks.push(index.build());
  return checks;
}
