import type { Result } from '../analysis/result.js';
import { CheckBuilder, DOUBLE_TOLERANCE, P_VALUE_TOLERANCE, statusCheck, type FigureCheck, type ValueKind } from './reference-compare-checks.js';
import { compareTable, type ReferenceTable } from './reference-compare-tables.js';

/** The value part of the reference's JSON (bench/reference/value.py). */
export interface ReferenceValue {
  status: 'ok' | 'skipped';
  reason?: string;
  /** Σ net_value in the currency, from whole cents. */
  net_value_total?: number;
  net_value_per_month?: { estimate: number; lower: number; upper: number } | null;
  tables?: Record<string, ReferenceTable>;
}

/** Counts, labels, flags and money totals (summed in whole cents on both sides) exactly. */
const EXACT = new Set(['part', 'known', 'customers', 'exposed_customers', 'total', 'grouping', 'level', 'pooled', 'net_value_total', 'passes']);

const kindOf = (column: string): ValueKind => (EXACT.has(column) ? 'exact' : column === 'p_value' || column === 'q_value' ? 'p_value' : 'double');

/**
 * How each table's cells compare: counts, labels and money totals exactly;
 * means, ratios of totals and their intervals as doubles (only the order of
 * summation differs: closed forms, no solver); p- and q-values without the
 * absolute floor.
 */
const TABLES: Readonly<Record<string, { keys: string[] }>> = {
  value_parts: { keys: ['part'] },
  value_by_segment: { keys: ['grouping', 'level'] },
};

const TOLERANCE = `counts, labels and money totals exact; means, ratios and intervals ${DOUBLE_TOLERANCE}; p- and q-values ${P_VALUE_TOLERANCE}`;

/**
 * The value Result against the reference: every part overall (total, per
 * customer, per customer-month, known or not) and, by segment, net value per
 * customer-month and each part with the screened difference from the other
 * customers; the total net value and the per-month finding.
 */
export function compareValue(result: Result | undefined, reference: ReferenceValue | undefined): FigureCheck[] {
  const checks = [statusCheck('value status', reference, result)];
  if (reference?.status !== 'ok' || result?.status !== 'ok') return checks;
  for (const [name, rule] of Object.entries(TABLES)) {
    const table = reference.tables?.[name];
    if (table === undefined) continue;
    checks.push(compareTable(`value ${name}`, table, result.tables.find((t) => t.name === name), { keys: rule.keys, kindOf, tolerance: TOLERANCE }));
  }
  const totals = new CheckBuilder('value net value', `total exact; per customer-month ${DOUBLE_TOLERANCE}`);
  const parts = result.tables.find((t) => t.name === 'value_parts');
  const net = parts?.rows.find((r) => r[0] === 'net_value');
  totals.add('total', reference.net_value_total ?? null, net?.[parts?.columns.findIndex((c) => c.name === 'total') ?? -1] ?? null);
  const perMonth = result.findings.find((f) => f.code === 'value.net_value_per_month');
  const ref = reference.net_value_per_month;
  totals.add('per customer-month', ref?.estimate ?? null, perMonth?.estimate ?? null, 'double');
  totals.add('lower', ref?.lower ?? null, perMonth?.interval.lower ?? null, 'double');
  totals.add('upper', ref?.upper ?? null, perMonth?.interval.upper ?? null, 'double');
  checks.push(totals.build());
  return checks;
}
