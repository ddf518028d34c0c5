import type { Result } from '../analysis/result.js';
import { CheckBuilder, DOUBLE_TOLERANCE, P_VALUE_TOLERANCE, REGRESSION_TOLERANCE, statusCheck, type FigureCheck, type ValueKind } from './reference-compare-checks.js';
import { compareTables, type ReferenceTable, type TableRules } from './reference-compare-tables.js';

type Estimate = { estimate: number; lower: number; upper: number } | null;

/** The referrals part of the reference's JSON (bench/reference/referrals.py). */
export interface ReferenceReferrals {
  status: 'ok' | 'skipped';
  reason?: string;
  /** What referrers bring, over every referrer with a customer in the store. */
  downstream?: { referrers: number; pairs: number; own: number; brought: number; brought_per_referrer: Estimate; multiplier: Estimate } | null;
  tables?: Record<string, ReferenceTable>;
}

const EXACT = new Set([
  'measure', 'count', 'referrals_made', 'customers', 'grouping', 'level', 'pooled', 'referrers', 'referrals', 'passes', 'attribute', 'pairs', 'values',
  'referrer_value', 'referred_value', 'method', 'days', 'comparison', 'unit', 'group_customers', 'other_customers', 'adjusted_for', 'customers_brought',
  // Money totals: summed in whole cents on both sides.
  'own_net_value', 'brought_net_value', 'customer_id',
]);

const kindOf = (c: string): ValueKind => (EXACT.has(c) ? 'exact' : c === 'p_value' || c === 'q_value' ? 'p_value' : 'double');
/** The comparisons' raw and adjusted differences are regression coefficients (HC1, logit); each group's own level is closed form. */
const comparisonKind = (c: string): ValueKind =>
  EXACT.has(c) ? 'exact' : c.startsWith('raw_') || c.startsWith('adjusted') ? (c.endsWith('p_value') ? 'regression_p_value' : 'regression') : 'double';

const TABLES: TableRules = {
  referral_graph: { keys: ['measure'], kindOf },
  referrals_made_distribution: { keys: ['referrals_made'], kindOf },
  referrals_by_segment: { keys: ['grouping', 'level'], kindOf },
  referral_homophily: { keys: ['attribute'], kindOf },
  who_brings_whom: { keys: ['attribute', 'referrer_value', 'referred_value'], kindOf },
  referral_value_correlation: { keys: ['method'], kindOf },
  referred_vs_others: { keys: ['comparison', 'measure'], kindOf: comparisonKind },
  referral_value_by_segment: { keys: ['grouping', 'level'], kindOf },
  top_referrers: { keys: [], kindOf },
};

const TOLERANCE = `counts, labels, verdicts and money totals exact (to the cent); shares, means, assortativity, correlations, multipliers ${DOUBLE_TOLERANCE}; p- and q-values ${P_VALUE_TOLERANCE}; the comparisons' raw and adjusted coefficients ${REGRESSION_TOLERANCE}`;

/**
 * The referrals Result against the reference, which forms the pairs from its
 * own customer_facts and computes each figure itself (the clustered errors
 * pair by pair rather than from cxray's per-level moments): the graph, who
 * refers by segment, homophily and who brings whom, value at equal tenure,
 * referred customers against the others, what referrers bring, overall and
 * by segment, and the top referrers.
 */
export function compareReferrals(result: Result | undefined, reference: ReferenceReferrals | undefined): FigureCheck[] {
  const checks = [statusCheck('referrals status', reference, result)];
  if (reference?.status !== 'ok' || result?.status !== 'ok') return checks;
  checks.push(...compareTables('referrals', reference.tables, result, TABLES, TOLERANCE));
  const down = new CheckBuilder('referrals multiplier', `referrers exact; ${DOUBLE_TOLERANCE}`);
  const d = reference.downstream ?? null;
  for (const [code, ref] of [
    ['referrals.brought_value_per_referrer', d?.brought_per_referrer ?? null],
    ['referrals.multiplier', d?.multiplier ?? null],
  ] as const) {
    const f = result.findings.find((x) => x.code === code);
    down.add(`${code} n`, ref === null ? null : (d?.referrers ?? null), f?.n ?? null);
    down.add(`${code} estimate`, ref?.estimate ?? null, f?.estimate ?? null, 'double');
    down.add(`${code} lower`, ref?.lower ?? null, f?.interval.lower ?? null, 'double');
    down.add(`${code} upper`, ref?.upper ?? null, f?.interval.upper ?? null, 'double');
  }
  checks.push(down.build());
  return checks;
}
