import type { Result } from '../analysis/result.js';
import { DOUBLE_TOLERANCE, P_VALUE_TOLERANCE, statusCheck, type FigureCheck, type ValueKind } from './reference-compare-checks.js';
import { compareTables, type ReferenceTable, type TableRules } from './reference-compare-tables.js';

/** The misaligned part of the reference's JSON (bench/reference/misaligned.py). */
export interface ReferenceMisaligned {
  status: 'ok' | 'skipped';
  reason?: string;
  measure?: string;
  overall_satisfaction?: number;
  cells_tested?: number;
  tables?: Record<string, ReferenceTable>;
}

const EXACT = new Set(['segment', 'key', 'conditions', 'status', 'customers', 'active_customers', 'respondents']);
const segmentKind = (c: string): ValueKind => (EXACT.has(c) ? 'exact' : c.startsWith('p_') || c === 'q_value' ? 'p_value' : 'double');

const TABLES: TableRules = {
  // Keyed by segment and status: the same cell listed for the same reason, or a difference.
  misaligned_segments: { keys: ['key', 'status'], kindOf: segmentKind },
  misaligned_scan: { keys: ['conditions'], kindOf: () => 'exact' },
};

const TOLERANCE = `segments listed, their status and every count exact; ratios, intervals and yearly loss ${DOUBLE_TOLERANCE}; p- and q-values ${P_VALUE_TOLERANCE}`;

/**
 * The misaligned Result against the reference's own scan of every cell: the
 * segments reported, described, covered and listed as context (which ones,
 * and why), with their figures, and the scan's counts per number of conditions.
 */
export function compareMisaligned(result: Result | undefined, reference: ReferenceMisaligned | undefined): FigureCheck[] {
  const checks = [statusCheck('misaligned status', reference, result)];
  if (reference?.status !== 'ok' || result?.status !== 'ok') return checks;
  checks.push(...compareTables('misaligned', reference.tables, result, TABLES, TOLERANCE));
  return checks;
}
