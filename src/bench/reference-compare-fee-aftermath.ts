import type { Result } from '../analysis/result.js';
import { DOUBLE_TOLERANCE, P_VALUE_TOLERANCE, statusCheck, type FigureCheck, type ValueKind } from './reference-compare-checks.js';
import { compareTables, type ReferenceTable, type TableRules } from './reference-compare-tables.js';

/** The fee-aftermath part of the reference's JSON (bench/reference/fee_aftermath.py). */
export interface ReferenceFeeAftermath {
  status: 'ok' | 'skipped';
  reason?: string;
  /** The satisfaction instrument compared (nps, csat) and the segment matched on. */
  instrument?: string | null;
  segment?: string | null;
  tables?: Record<string, ReferenceTable>;
}

const EXACT = new Set(['line', 'outcome', 'status', 'charged', 'matched', 'unmatched', 'control_weeks']);
const kindOf = (c: string): ValueKind => (EXACT.has(c) ? 'exact' : c === 'p_value' || c === 'q_value' ? 'p_value' : 'double');

const TABLES: TableRules = {
  fee_aftermath: { keys: ['line', 'outcome'], kindOf },
};

const TOLERANCE = `lines, outcomes, verdicts and the customers charged, matched and unmatched and the control weeks exact; means, differences and intervals ${DOUBLE_TOLERANCE}; p- and q-values ${P_VALUE_TOLERANCE}`;

/**
 * The fee-aftermath Result against the reference, which builds every risk
 * set itself (week by week, or each customer's eligible weeks at once) from
 * its own frames: per fee line and outcome, who was charged and matched,
 * the treated's and the controls' means, the difference with its interval,
 * the p- and q-values and the verdict.
 */
export function compareFeeAftermath(result: Result | undefined, reference: ReferenceFeeAftermath | undefined): FigureCheck[] {
  const checks = [statusCheck('fee-aftermath status', reference, result)];
  if (reference?.status !== 'ok' || result?.status !== 'ok') return checks;
  checks.push(...compareTables('fee-aftermath', reference.tables, result, TABLES, TOLERANCE));
  return checks;
}
