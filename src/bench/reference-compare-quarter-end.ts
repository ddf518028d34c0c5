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

/** The quarter-end part of the reference's JSON (bench/reference/quarter_end.py). */
export interface ReferenceQuarterEnd {
  status: 'ok' | 'skipped';
  reason?: string;
  window_days?: number;
  /** The codes of the findings the reference claims (each passes the screen; the money when its interval clears zero). */
  findings?: string[];
  tables?: Record<string, ReferenceTable>;
}

/** Counts, labels, flags and verdicts. */
const EXACT = new Set([
  'measure', 'window_days', 'other_days', 'passes', 'outcome', 'unit', 'window_n', 'others_n', 'model', 'adjusted_for', 'tenure_bands', 'window_customers', 'window_churned',
  'other_customers', 'other_churned', 'group', 'month', 'at_risk', 'churned', 'censored', 'days_to_quarter_end', 'in_window', 'days', 'item',
]);
/** What the quasi-Poisson and the hazard model fit (statsmodels' GLM against cxray's Newton-Raphson), and what follows from it. */
const FITTED = new Set(['ratio', 'lower', 'upper', 'dispersion', 'hazard_ratio', 'log_hr_standard_error']);

/** Fitted figures and every q-value (Benjamini-Hochberg over the six claims mixes fitted p-values in) to the regression tolerance. */
const fitted = (c: string): ValueKind => (EXACT.has(c) ? 'exact' : c === 'p_value' || c === 'q_value' ? 'fitted_p_value' : FITTED.has(c) ? 'regression' : 'double');
/** Refunds and satisfaction are closed forms (Newcombe, NPS, Welch); their q-values come from the screen with the fitted ones. */
const closed = (c: string): ValueKind => (EXACT.has(c) ? 'exact' : c === 'q_value' ? 'fitted_p_value' : c === 'p_value' ? 'p_value' : 'double');

const TABLES: TableRules = {
  quarter_end_sales: { keys: ['measure'], kindOf: fitted },
  quarter_end_outcomes: { keys: ['outcome'], kindOf: closed },
  quarter_end_hazard: { keys: ['model'], kindOf: fitted },
  quarter_end_survival: { keys: ['group', 'month'], kindOf: closed },
  quarter_end_daily: { keys: ['days_to_quarter_end'], kindOf: closed },
};

const TOLERANCE =
  `labels, counts, flags and verdicts exact; per-day means, refund and satisfaction differences, life tables and months at risk ${DOUBLE_TOLERANCE}, their p-values ${P_VALUE_TOLERANCE}; ` +
  `intake and hazard ratios, their intervals and the dispersion ${REGRESSION_TOLERANCE}, their p-values and every q-value ${FITTED_P_VALUE_TOLERANCE}`;

/** The balance's items: the window's customers a count, the margin and the others' value closed forms, the rest built on the fitted ratios. */
function balanceKind(item: string): ValueKind {
  if (item === 'customers acquired in the windows') return 'exact';
  if (item === 'margin per active customer-month' || item.endsWith(', other customers') || item.startsWith('value of another customer')) return 'double';
  return 'regression';
}

function compareBalance(reference: ReferenceTable | undefined, result: Result): FigureCheck {
  const check = new CheckBuilder('quarter-end quarter_end_balance', `the window's customers exact; margin, the others' active months and value ${DOUBLE_TOLERANCE}; what the intake and hazard ratios feed ${REGRESSION_TOLERANCE}`);
  const mine = result.tables.find((t) => t.name === 'quarter_end_balance');
  const rows = new Map((mine?.rows ?? []).map((r) => [String(r[0]), r]));
  for (const row of reference?.rows ?? []) {
    const item = String(row[0]);
    const other = rows.get(item);
    rows.delete(item);
    if (other === undefined) {
      check.missing(item, 'row', null);
      continue;
    }
    check.add(`${item}: value`, row[1], other[1], balanceKind(item));
    check.add(`${item}: unit`, row[2], other[2]);
  }
  for (const item of rows.keys()) check.missing(item, null, 'row');
  return check.build();
}

/**
 * The quarter-end Result against the reference, which flags the windows by
 * its own fiscal calendar and fits both models with statsmodels' GLM
 * (Poisson family: quasi-Poisson for sales per day with the Pearson
 * dispersion, the piecewise-exponential hazard with log months at risk as
 * offset) on its own daily sales and person-time: the sales, outcomes and
 * hazard tables, the life tables, the daily profile, the push's money, and
 * which claims are made.
 */
export function compareQuarterEnd(result: Result | undefined, reference: ReferenceQuarterEnd | undefined): FigureCheck[] {
  const checks = [statusCheck('quarter-end status', reference, result)];
  if (reference?.status !== 'ok' || result?.status !== 'ok') return checks;
  checks.push(...compareTables('quarter-end', reference.tables, result, TABLES, TOLERANCE));
  if (reference.tables?.['quarter_end_balance'] !== undefined || result.tables.some((t) => t.name === 'quarter_end_balance')) {
    checks.push(compareBalance(reference.tables?.['quarter_end_balance'], result));
  }
  const claims = new CheckBuilder('quarter-end claims', 'the findings claimed, exact');
  const codes = (list: readonly string[]): string => [...list].sort().join(', ');
  claims.add('finding codes', codes(reference.findings ?? []), codes(result.findings.map((f) => f.code)));
  checks.push(claims.build());
  return checks;
}
