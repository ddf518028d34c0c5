import type { Result } from '../analysis/result.js';
import { CheckBuilder, DOUBLE_TOLERANCE, P_VALUE_TOLERANCE, REGRESSION_TOLERANCE, statusCheck, type FigureCheck, type ValueKind } from './reference-compare-checks.js';
import { compareTables, type ReferenceTable, type TableRules } from './reference-compare-tables.js';

/** One trend the scorecard claims, as the reference screens it. */
interface ReferenceTrend {
  /** The area's label, or "<Touchpoint label>: <measure>": how cxray's finding text starts. */
  subject: string;
  estimate: number;
  lower: number;
  upper: number;
  n: number;
  p_value: number;
  q_value: number;
}

/** The scorecard part of the reference's JSON (bench/reference/scorecard.py). */
export interface ReferenceScorecard {
  status: 'ok' | 'skipped';
  reason?: string;
  /** Responses rating at least one area: the overall finding's n. */
  responses?: number | null;
  overall?: { estimate: number; lower: number; upper: number; n: number } | null;
  period_unit?: string;
  /** Slopes screened together (Benjamini-Hochberg). */
  trend_family?: number;
  trends?: ReferenceTrend[];
  /** Findings by code, those about fewer than 5 left out as cxray withholds them. */
  finding_counts?: Record<string, number>;
  tables?: Record<string, ReferenceTable>;
}

/**
 * Labels, statuses, reasons, counts and control-limit signals exact; every
 * score, interval, trend and limit is a closed form of per-block sums (the
 * reference reproduces cxray's hash blocks), so doubles; the importance share
 * is key-drivers' relative weight (an eigendecomposition), so the regression
 * tolerance. Key-drivers' bootstrap interval of the share is not in the
 * reference's table, so it is not compared.
 */
const exactOr = (exact: readonly string[], otherwise: (column: string) => ValueKind) => (column: string): ValueKind => (exact.includes(column) ? 'exact' : otherwise(column));

const TABLES: TableRules = {
  scorecard_areas: {
    keys: ['area'],
    kindOf: exactOr(['area', 'label', 'characteristic', 'characteristic_from', 'responses', 'status', 'not_rated_because', 'no_trend_because', 'importance_rank', 'quadrant'], (c) =>
      c === 'importance' ? 'regression' : 'double',
    ),
  },
  scorecard_characteristics: { keys: ['characteristic'], kindOf: exactOr(['characteristic', 'label', 'measured', 'areas', 'touchpoints', 'responses', 'status'], () => 'double') },
  scorecard_touchpoints: { keys: ['kind', 'key', 'characteristic', 'measure'], kindOf: exactOr(['kind', 'key', 'label', 'characteristic', 'measure', 'n', 'status', 'not_rated_because'], () => 'double') },
  satisfaction_over_time: { keys: ['instrument', 'period'], kindOf: exactOr(['instrument', 'period_unit', 'period', 'start', 'answers', 'customer_months', 'signal'], () => 'double') },
};

const TOLERANCE = `labels, statuses, reasons, counts and signals exact; scores, intervals, trends and control limits ${DOUBLE_TOLERANCE}; importance ${REGRESSION_TOLERANCE}`;

/**
 * The scorecard Result against the reference, which scores the areas,
 * touchpoints and periods itself from its frames with cxray's bootstrap
 * blocks (the MD5 of each customer id modulo 4,096) as the clustered
 * intervals' units: the four tables cell by cell, the overall, the findings
 * by code, and each trend claimed with its p- and q-value.
 */
export function compareScorecard(result: Result | undefined, reference: ReferenceScorecard | undefined): FigureCheck[] {
  const checks = [statusCheck('scorecard status', reference, result)];
  if (reference?.status !== 'ok' || result?.status !== 'ok') return checks;
  checks.push(...compareTables('scorecard', reference.tables, result, TABLES, TOLERANCE));

  const findings = new CheckBuilder('scorecard findings', `counts by code and n exact; the overall and trends ${DOUBLE_TOLERANCE}; trends' p- and q-values ${P_VALUE_TOLERANCE}`);
  const overall = result.findings.find((f) => f.code === 'scorecard.overall');
  const ref = reference.overall ?? null;
  findings.add('overall n', ref?.n ?? null, overall?.n ?? null);
  findings.add('overall estimate', ref?.estimate ?? null, overall?.estimate ?? null, 'double');
  findings.add('overall lower', ref?.lower ?? null, overall?.interval.lower ?? null, 'double');
  findings.add('overall upper', ref?.upper ?? null, overall?.interval.upper ?? null, 'double');
  const counts = new Map<string, number>();
  for (const f of result.findings) counts.set(f.code, (counts.get(f.code) ?? 0) + 1);
  const expected = reference.finding_counts ?? {};
  for (const code of [...new Set([...Object.keys(expected), ...counts.keys()])].sort()) findings.add(`findings ${code}`, expected[code] ?? 0, counts.get(code) ?? 0);
  const trends = result.findings.filter((f) => f.code === 'scorecard.trend');
  for (const t of reference.trends ?? []) {
    const f = trends.find((x) => x.text.startsWith(`${t.subject} is `));
    if (f === undefined) {
      findings.missing(`trend ${t.subject}`, t.estimate, null);
      continue;
    }
    findings.add(`trend ${t.subject} n`, t.n, f.n);
    findings.add(`trend ${t.subject} estimate`, t.estimate, f.estimate, 'double');
    findings.add(`trend ${t.subject} lower`, t.lower, f.interval.lower, 'double');
    findings.add(`trend ${t.subject} upper`, t.upper, f.interval.upper, 'double');
    findings.add(`trend ${t.subject} p-value`, t.p_value, f.pValue ?? null, 'p_value');
    findings.add(`trend ${t.subject} q-value`, t.q_value, f.qValue ?? null, 'p_value');
  }
  checks.push(findings.build());
  return checks;
}
