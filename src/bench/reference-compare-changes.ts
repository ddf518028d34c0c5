import type { Result } from '../analysis/result.js';
import {
  CheckBuilder,
  DOUBLE_TOLERANCE,
  FITTED_P_VALUE_TOLERANCE,
  P_VALUE_TOLERANCE,
  REGRESSION_TOLERANCE,
  statusCheck,
  type FigureCheck,
  type ValueKind,
} from './reference-compare-checks.js';
import { compareTables, type ReferenceTable, type TableRules } from './reference-compare-tables.js';

/** The changes part of the reference's JSON (bench/reference/changes.py, experiments.py). */
export interface ReferenceChanges {
  status: 'ok' | 'skipped';
  reason?: string;
  tables?: Record<string, ReferenceTable>;
  /** The codes of the findings the changes and experiments claim. */
  findings?: string[];
}

const EXACT = new Set([
  'change', 'date', 'segment', 'comparison', 'before_from', 'placebo_date', 'after_to', 'treated_customers', 'comparison_customers', 'note', 'measure', 'unit', 'claimed',
  'standard_error_scale', 'pre_trend_flag', 'segment_customers_before', 'segment_customers_after', 'comparison_customers_before', 'comparison_customers_after', 'observations', 'smallest_cell',
  'month', 'group', 'answers', 'customers', 'experiment', 'arm', 'value', 'mismatch', 'treatment_customers', 'control_customers', 'smallest_arm',
]);
/** Sums over customers and answers: the cells' means, each month's NPS and its clustered interval, the arms' shares and χ². */
const CLOSED = new Set(['segment_before', 'segment_after', 'comparison_before', 'comparison_after', 'nps', 'lower', 'upper', 'share', 'planned_share', 'chi_square', 'treatment', 'control']);
const FITTED_P = new Set(['p_value', 'q_value', 'pre_trend_p']);

/** A fitted table's cells: the effects and their intervals come from statsmodels' fits, the rest as above. */
const fitted = (c: string): ValueKind => (EXACT.has(c) ? 'exact' : FITTED_P.has(c) ? 'fitted_p_value' : CLOSED.has(c) && c !== 'lower' && c !== 'upper' ? 'double' : 'regression');
const closed = (c: string): ValueKind => (EXACT.has(c) ? 'exact' : c === 'p_value' ? 'p_value' : 'double');

const TABLES: TableRules = {
  changes: { keys: ['change'], kindOf: closed },
  change_effects: { keys: ['change', 'measure'], kindOf: fitted },
  change_nps_by_month: { keys: ['change', 'month', 'group'], kindOf: closed },
  experiment_arms: { keys: ['experiment', 'arm'], kindOf: closed },
  experiment_effects: { keys: ['experiment', 'measure'], kindOf: fitted },
};

const TOLERANCE =
  `windows, groups, units, notes, claims, flags and counts exact; the cells' and arms' means, monthly NPS with its clustered interval, the split's shares and χ² ${DOUBLE_TOLERANCE}, ` +
  `the χ² p ${P_VALUE_TOLERANCE}; the effects, pre-trends, their standard errors and intervals (statsmodels' OLS/WLS/GLM with cov_type='cluster', the hazard model) ${REGRESSION_TOLERANCE}, ` +
  `their p- and q-values ${FITTED_P_VALUE_TOLERANCE}`;

/**
 * The changes Result against the reference, which reads the workspace's
 * stored changes and cxray.yaml's experiments, forms its own windows, groups,
 * answers and customer-periods, and fits every difference-in-differences,
 * pre-trend and arm difference with statsmodels (clustered by customer), the
 * churn hazard ratio with a Poisson GLM on person-time and the sample ratio
 * with scipy's chisquare: the changes, every measure's cells, effect and
 * screen, NPS by month, the arms and every measure of each experiment, and
 * the findings claimed.
 */
export function compareChanges(result: Result | undefined, reference: ReferenceChanges | undefined): FigureCheck[] {
  const checks = [statusCheck('changes status', reference, result)];
  if (reference?.status !== 'ok' || result?.status !== 'ok') return checks;
  checks.push(...compareTables('changes', reference.tables, result, TABLES, TOLERANCE));
  const claimed = new CheckBuilder('changes findings', 'the codes of the findings claimed, exact');
  const mine = new Set(result.findings.map((f) => f.code));
  const theirs = new Set(reference.findings ?? []);
  for (const code of [...new Set([...mine, ...theirs])].sort()) claimed.add(code, theirs.has(code), mine.has(code));
  checks.push(claimed.build());
  return checks;
}
