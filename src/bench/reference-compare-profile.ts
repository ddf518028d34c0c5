import type { Result, ResultTable } from '../analysis/result.js';
import { CheckBuilder, DOUBLE_TOLERANCE, P_VALUE_TOLERANCE, type FigureCheck, type ValueKind } from './reference-compare-checks.js';
import { compareTable, type ReferenceTable } from './reference-compare-tables.js';

export type { ReferenceTable } from './reference-compare-tables.js';

export interface ReferenceInterval {
  estimate: number;
  lower: number;
  upper: number;
}

/** The profile part of the reference's JSON (bench/reference/reference.py). */
export interface ReferenceProfile {
  customers: number;
  churned: ReferenceInterval & { count: number };
  response_rate: ReferenceInterval & { count: number; n: number };
  money_totals: Record<string, number | string>;
  nps: ReferenceInterval & { n: number };
  value_tier_cuts: number[];
  top1_share: ReferenceInterval & { k: number };
  tables: Record<string, ReferenceTable>;
}

/** The columns that identify a row of each profile table (the key columns cxray's groupTable keeps); none: rows match by position. */
export const PROFILE_TABLE_KEYS: Readonly<Record<string, readonly string[]>> = {
  tenure: [],
  cohort_mix: ['attribute', 'cohort', 'level'],
  contact_channels: ['grouping', 'group'],
  value_concentration: ['measure'],
  lorenz_curve: [],
  value_tiers: ['tier', 'variable', 'kind'],
  value_tier_levels: ['tier', 'attribute', 'level'],
  top_tier_differences: ['measure'],
  survey_coverage: ['measure', 'unit'],
  attribute_shares: ['attribute', 'level'],
  attribute_summaries: ['attribute', 'unit'],
};

function kindOf(table: ResultTable | undefined, column: string): ValueKind {
  if (column === 'p_value' || column === 'q_value') return 'p_value';
  const type = table?.columns.find((c) => c.name === column)?.type;
  return type === 'number' ? 'double' : 'exact';
}

function finding(result: Result, code: string): Result['findings'][number] | undefined {
  return result.findings.find((f) => f.code === code);
}

/** The profile Result against the reference: the headline findings, then every table the reference reproduces. */
export function compareProfile(result: Result, reference: ReferenceProfile): FigureCheck[] {
  const checks: FigureCheck[] = [];
  const customers = new CheckBuilder('profile customers', 'exact');
  customers.add('customers', reference.customers, finding(result, 'profile.customers')?.estimate ?? null);
  checks.push(customers.build());
  for (const [code, ref] of [
    ['profile.churned_share', reference.churned],
    ['profile.response_rate', reference.response_rate],
  ] as const) {
    const check = new CheckBuilder(code, `${DOUBLE_TOLERANCE}; Wilson interval`);
    const f = finding(result, code);
    check.add(`${code} estimate`, ref.estimate, f?.estimate ?? null, 'double');
    check.add(`${code} lower`, ref.lower, f?.interval?.lower ?? null, 'double');
    check.add(`${code} upper`, ref.upper, f?.interval?.upper ?? null, 'double');
    checks.push(check.build());
  }
  for (const [name, table] of Object.entries(reference.tables)) {
    const cxray = result.tables.find((t) => t.name === name);
    checks.push(
      compareTable(`profile ${name}`, table, cxray, {
        keys: PROFILE_TABLE_KEYS[name] ?? [],
        kindOf: (column) => kindOf(cxray, column),
        tolerance: `counts, labels and flags exact; numbers ${DOUBLE_TOLERANCE}; p/q values ${P_VALUE_TOLERANCE}`,
      }),
    );
  }
  return checks;
}
