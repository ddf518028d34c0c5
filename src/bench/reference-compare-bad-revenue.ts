import type { Result } from '../analysis/result.js';
import { DOUBLE_TOLERANCE, P_VALUE_TOLERANCE, statusCheck, type FigureCheck, type ValueKind } from './reference-compare-checks.js';
import { compareTables, type ReferenceTable, type TableRules } from './reference-compare-tables.js';

/** The bad-revenue part of the reference's JSON (bench/reference/bad_revenue.py). */
export interface ReferenceBadRevenue {
  status: 'ok' | 'skipped';
  reason?: string;
  /** The classes the data supported, the first alerted on. */
  classes?: string[];
  tables?: Record<string, ReferenceTable>;
}

/** Labels, verdicts, counts and money (summed in whole cents on both sides). */
const EXACT = new Set(['line', 'kind', 'key', 'class', 'status', 'revenue', 'payers', 'payers_known', 'revenue_known', 'dissatisfied_revenue', 'definition', 'basis', 'customers', 'known']);
const kindOf = (c: string): ValueKind => (EXACT.has(c) ? 'exact' : c === 'p_value' || c === 'q_value' ? 'p_value' : 'double');

const TABLES: TableRules = {
  bad_revenue_detractors: { keys: ['key'], kindOf },
  bad_revenue_low_csat: { keys: ['key'], kindOf },
  bad_revenue_churned: { keys: ['key'], kindOf },
  bad_revenue_coverage: { keys: ['class'], kindOf },
};

const TOLERANCE = `lines, classes, verdicts, counts and money exact (to the cent); shares, ratios, Fieller intervals and the excess with its interval ${DOUBLE_TOLERANCE}; p- and q-values ${P_VALUE_TOLERANCE}`;

/**
 * The bad-revenue Result against the reference, which forms the classes and
 * the revenue lines from its own frames and computes each concentration
 * ratio from every customer's influence (cxray: six sums per line from one
 * GROUP BY): every line in every class with its Fieller interval, one-sided
 * test, q-value and verdict, and the coverage per class.
 */
export function compareBadRevenue(result: Result | undefined, reference: ReferenceBadRevenue | undefined): FigureCheck[] {
  const checks = [statusCheck('bad-revenue status', reference, result)];
  if (reference?.status !== 'ok' || result?.status !== 'ok') return checks;
  checks.push(...compareTables('bad-revenue', reference.tables, result, TABLES, TOLERANCE));
  return checks;
}
