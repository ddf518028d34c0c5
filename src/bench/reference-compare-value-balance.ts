import type { Result } from '../analysis/result.js';
import {
  CheckBuilder,
  DOUBLE_TOLERANCE,
  FITTED_P_VALUE_TOLERANCE,
  REGRESSION_TOLERANCE,
  statusCheck,
  type FigureCheck,
  type ValueKind,
} from './reference-compare-checks.js';
import { compareTables, type ReferenceTable, type TableRules } from './reference-compare-tables.js';

type Estimate = { estimate: number; lower: number; upper: number; n?: number } | null;

/** The value-balance part of the reference's JSON (bench/reference/value_balance.py). */
export interface ReferenceValueBalance {
  status: 'ok' | 'skipped';
  reason?: string;
  satisfaction_axis?: string | null;
  axes?: string[];
  /** Price per customer-month of the customers on the map (ratio of totals, t interval). */
  mean_price?: Estimate;
  /** The line's slope on each axis with its two-sided p-value. */
  slopes?: { axis: string; estimate: number; p_value: number }[];
  tables?: Record<string, ReferenceTable>;
}

const EXACT = new Set(['segment', 'attribute', 'level', 'verdict', 'customers', 'active_customers', 'customers_on_map', 'term']);
/** Sums over customers (price per month, mean axes): closed forms; the line and all it feeds (fair price, deviations, their intervals, money): a fit. */
const CLOSED = new Set(['price_per_month', 'satisfaction', 'usage_per_month', 'mean']);
const kindOf = (c: string): ValueKind => (EXACT.has(c) ? 'exact' : CLOSED.has(c) ? 'double' : c === 'p_value' || c === 'q_value' ? 'fitted_p_value' : 'regression');

const TABLES: TableRules = {
  value_balance_segments: { keys: ['attribute', 'level'], kindOf },
  value_balance_line: { keys: ['term'], kindOf },
};

const TOLERANCE = `segments, verdicts and counts exact; prices per month and mean axes ${DOUBLE_TOLERANCE}; the line, its cluster-robust intervals and every deviation, interval and money it feeds ${REGRESSION_TOLERANCE}; p- and q-values ${FITTED_P_VALUE_TOLERANCE}`;

/**
 * The value-balance Result against the reference, which picks the axes,
 * fits the fair-value line (statsmodels' WLS with HC1 errors, or numpy's
 * normal equations) and computes each segment's deviation from every
 * customer's influence on it (cxray: residual sums per segment): the
 * segments with their verdicts and money, the line, the mean price and the
 * slopes' tests.
 */
export function compareValueBalance(result: Result | undefined, reference: ReferenceValueBalance | undefined): FigureCheck[] {
  const checks = [statusCheck('value-balance status', reference, result)];
  if (reference?.status !== 'ok' || result?.status !== 'ok') return checks;
  checks.push(...compareTables('value-balance', reference.tables, result, TABLES, TOLERANCE));
  const findings = new CheckBuilder('value-balance mean price and slopes', `n exact; the mean price ${DOUBLE_TOLERANCE}; slopes ${REGRESSION_TOLERANCE}, their p-values ${FITTED_P_VALUE_TOLERANCE}`);
  const price = result.findings.find((f) => f.code === 'value_balance.mean_price');
  const ref = reference.mean_price ?? null;
  findings.add('mean price n', ref?.n ?? null, price?.n ?? null);
  findings.add('mean price estimate', ref?.estimate ?? null, price?.estimate ?? null, 'double');
  findings.add('mean price lower', ref?.lower ?? null, price?.interval.lower ?? null, 'double');
  findings.add('mean price upper', ref?.upper ?? null, price?.interval.upper ?? null, 'double');
  const slopes = reference.slopes ?? [];
  const mine = result.findings.filter((f) => f.code.startsWith('value_balance.slope_'));
  for (const s of slopes) {
    const f = mine.find((x) => x.code === `value_balance.slope_${s.axis}`);
    findings.add(`slope ${s.axis} estimate`, s.estimate, f?.estimate ?? null, 'regression');
    findings.add(`slope ${s.axis} p-value`, s.p_value, f?.pValue ?? null, 'fitted_p_value');
  }
  for (const f of mine) if (!slopes.some((s) => f.code === `value_balance.slope_${s.axis}`)) findings.missing(f.code, null, 'finding');
  checks.push(findings.build());
  return checks;
}
