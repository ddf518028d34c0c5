import type { Result } from '../analysis/result.js';
import { DOUBLE_TOLERANCE, REGRESSION_TOLERANCE, statusCheck, type FigureCheck, type ValueKind } from './reference-compare-checks.js';
import { compareTables, type ReferenceTable, type TableRules } from './reference-compare-tables.js';

/** The ideal-profile part of the reference's JSON (bench/reference/ideal_profile.py). */
export interface ReferenceIdealProfile {
  status: 'ok' | 'skipped';
  reason?: string;
  /** Training customers a rule must cover. */
  minimum?: number;
  rules_found?: number;
  tables?: Record<string, ReferenceTable>;
}

const EXACT = new Set(['rank', 'rule', 'key', 'status', 'customers', 'training_customers', 'held_out_customers', 'equal_tenure_customers']);
/** First-year net value and the coverage are closed-form sums; everything of the fit score is as exact as the weights behind it. */
const DOUBLES = new Set(['coverage', 'coverage_lower', 'coverage_upper', 'equal_tenure_mean', 'equal_tenure_mean_all']);

const ruleKind = (c: string): ValueKind => (EXACT.has(c) ? 'exact' : DOUBLES.has(c) || c.includes('equal_tenure_lift') ? 'double' : 'regression');

const TABLES: TableRules = {
  ideal_rules: { keys: ['key'], kindOf: ruleKind },
  ideal_attributes: { keys: ['attribute'], kindOf: (c) => (c === 'value_explained' ? 'double' : 'exact') },
  ideal_drivers: { keys: ['driver'], kindOf: (c) => (c.startsWith('responses') || c === 'driver' || c === 'label' ? 'exact' : 'regression') },
};

const TOLERANCE =
  `rules (the search's outcome), labels and counts exact; coverage, first-year value and η² ${DOUBLE_TOLERANCE}; fit means, lifts, held-out differences and p-values, ` +
  `and the drivers' shares ${REGRESSION_TOLERANCE} (the p-values, 1 − Φ(z) as cxray computes them, keep the absolute 1e-12 floor: their rounding is absolute)`;

/**
 * The ideal-profile Result against the reference's own search: the rules
 * found (same keys, ranks and held-out verdicts: a different rule is a
 * finding), each rule's figures, the attributes' share of value explained,
 * and the drivers within the first rule that holds (point estimates; the
 * intervals are cxray's bootstrap).
 */
export function compareIdealProfile(result: Result | undefined, reference: ReferenceIdealProfile | undefined): FigureCheck[] {
  const checks = [statusCheck('ideal-profile status', reference, result)];
  if (reference?.status !== 'ok' || result?.status !== 'ok') return checks;
  checks.push(...compareTables('ideal-profile', reference.tables, result, TABLES, TOLERANCE));
  return checks;
}
