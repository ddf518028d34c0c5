import type { Result } from '../analysis/result.js';
import { CheckBuilder, DOUBLE_TOLERANCE, P_VALUE_TOLERANCE, statusCheck, type FigureCheck, type ValueKind } from './reference-compare-checks.js';
import { compareTables, type ReferenceTable, type TableRules } from './reference-compare-tables.js';

/** The mix part of the reference's JSON (bench/reference/mix.py). */
export interface ReferenceMix {
  status: 'ok' | 'skipped';
  reason?: string;
  unit?: 'quarter' | 'month';
  /** Last year's cohorts against the first at equal tenure (Welch), and whether it is claimed. */
  equal_tenure_difference?: { estimate: number; lower: number; upper: number; p_value: number } | null;
  equal_tenure_passes?: boolean;
  tables?: Record<string, ReferenceTable>;
}

const EXACT = new Set(['cohort', 'cohort_start', 'series_kind', 'series', 'key', 'customers', 'matching', 'early_cohorts', 'early_customers', 'early_matching', 'late_cohorts', 'late_customers', 'late_matching', 'cohorts', 'drift', 'away_from_ideal', 'attribute', 'level', 'n', 'cohort_customers']);
const kindOf = (c: string): ValueKind => (EXACT.has(c) ? 'exact' : c.endsWith('p_value') || c === 'q_value' ? 'p_value' : 'double');

const TABLES: TableRules = {
  mix_by_cohort: { keys: ['series', 'cohort'], kindOf },
  mix_drift: { keys: ['series'], kindOf },
  mix_equal_tenure: { keys: ['cohort'], kindOf },
  // Without an ideal profile cxray shows the profile's cohort mix instead.
  cohort_mix: { keys: ['attribute', 'cohort', 'level'], kindOf },
};

const TOLERANCE = `series (from each side's own ideal rules and misaligned segments), cohorts, counts and drift verdicts exact; shares, slopes and values ${DOUBLE_TOLERANCE}; p- and q-values ${P_VALUE_TOLERANCE}`;

/**
 * The mix Result against the reference's, whose series come from its own
 * ideal-profile rules and misaligned segments: each cohort's share per
 * series, the drift per series, the cohorts at equal tenure, and the
 * equal-tenure finding when either side claims it.
 */
export function compareMix(result: Result | undefined, reference: ReferenceMix | undefined): FigureCheck[] {
  const checks = [statusCheck('mix status', reference, result)];
  if (reference?.status !== 'ok' || result?.status !== 'ok') return checks;
  checks.push(...compareTables('mix', reference.tables, result, TABLES, TOLERANCE));
  const tenure = new CheckBuilder('mix equal-tenure claim', `claimed or not exact; the difference ${DOUBLE_TOLERANCE}`);
  const f = result.findings.find((x) => x.code === 'mix.equal_tenure_value');
  tenure.add('claimed', reference.equal_tenure_passes ?? false, f !== undefined);
  if (f !== undefined && reference.equal_tenure_passes === true) {
    const d = reference.equal_tenure_difference ?? null;
    tenure.add('estimate', d?.estimate ?? null, f.estimate, 'double');
    tenure.add('lower', d?.lower ?? null, f.interval.lower, 'double');
    tenure.add('upper', d?.upper ?? null, f.interval.upper, 'double');
  }
  checks.push(tenure.build());
  return checks;
}
