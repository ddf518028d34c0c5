import { groupTable, type TableColumnSpec } from '../result-builder.js';
import type { Cell, ResultTable } from '../result.js';
import type { AttributeMixing } from './attribute-mixing.js';
import type { SegmentDownstream, TopReferrer } from './downstream-value.js';
import { MADE_CAP, type MadeBin, type ReferralOverview, type SegmentReferrals } from './referral-counts.js';
import type { GroupComparison } from './referred-comparison.js';
import type { ValueAssortativity } from './value-assortativity.js';

/** A number for a cell: null when missing or not finite (never rounded: engines must agree on the value itself). */
const round = (x: number | null | undefined): number | null => (x === null || x === undefined || !Number.isFinite(x) ? null : x);

/** The referral graph in scope, one measure a row. */
export function graphTable(o: ReferralOverview): ResultTable {
  const rows: [string, number][] = [
    ['customers', o.sums.customers],
    ['referrers (referred at least one customer)', o.sums.referrers],
    ['referrals made', o.sums.referrals],
    ['customers acquired by referral', o.referred],
    ['pairs whose referrer is in scope', o.pairs],
    ['referrers with a referred customer in the store', o.pairedReferrers],
  ];
  return { name: 'referral_graph', columns: [{ name: 'measure', type: 'string', unit: null }, { name: 'count', type: 'integer', unit: 'customers' }], rows };
}

export function distributionTable(bins: readonly MadeBin[]): ResultTable {
  const total = bins.reduce((s, b) => s + b.customers, 0);
  return groupTable(
    'referrals_made_distribution',
    [
      { name: 'referrals_made', type: 'string' },
      { name: 'customers', type: 'integer', unit: 'customers' },
      { name: 'share', type: 'number', unit: 'share' },
    ],
    bins.map((b) => [b.made === MADE_CAP ? `${MADE_CAP} or more` : String(b.made), b.customers, total > 0 ? round(b.customers / total) : null]),
    { countColumn: 'customers', keyColumns: ['referrals_made'] },
  );
}

export function segmentTable(segments: readonly SegmentReferrals[]): ResultTable {
  const columns: TableColumnSpec[] = [
    { name: 'grouping', type: 'string' },
    { name: 'level', type: 'string' },
    { name: 'pooled', type: 'boolean' },
    { name: 'customers', type: 'integer', unit: 'customers' },
    { name: 'referrers', type: 'integer', unit: 'customers' },
    { name: 'share_referring', type: 'number', unit: 'share' },
    { name: 'share_lower', type: 'number', unit: 'share' },
    { name: 'share_upper', type: 'number', unit: 'share' },
    { name: 'referrals', type: 'integer', unit: 'count' },
    { name: 'per_customer', type: 'number', unit: 'count' },
    { name: 'per_customer_lower', type: 'number', unit: 'count' },
    { name: 'per_customer_upper', type: 'number', unit: 'count' },
    { name: 'difference', type: 'number', unit: 'percentage_points' },
    { name: 'difference_lower', type: 'number', unit: 'percentage_points' },
    { name: 'difference_upper', type: 'number', unit: 'percentage_points' },
    { name: 'q_value', type: 'number', unit: null },
    { name: 'passes', type: 'boolean' },
  ];
  const rows: Cell[][] = segments.map((s) => [
    s.grouping.key,
    s.level,
    s.pooled,
    s.sums.customers,
    s.sums.referrers,
    round(s.shareReferring?.estimate),
    round(s.shareReferring?.interval.lower),
    round(s.shareReferring?.interval.upper),
    s.sums.referrals,
    round(s.perCustomer?.estimate),
    round(s.perCustomer?.interval.lower),
    round(s.perCustomer?.interval.upper),
    round(s.difference === null ? null : 100 * s.difference.estimate),
    round(s.difference === null ? null : 100 * s.difference.interval.lower),
    round(s.difference === null ? null : 100 * s.difference.interval.upper),
    round(s.qValue),
    s.passes,
  ]);
  return groupTable('referrals_by_segment', columns, rows, { countColumn: 'customers', keyColumns: ['grouping', 'level', 'pooled'] });
}

export function homophilyTable(mixings: readonly AttributeMixing[]): ResultTable {
  const columns: TableColumnSpec[] = [
    { name: 'attribute', type: 'string' },
    { name: 'pairs', type: 'integer', unit: 'pairs' },
    { name: 'referrers', type: 'integer', unit: 'customers' },
    { name: 'values', type: 'integer', unit: 'count' },
    { name: 'same_share', type: 'number', unit: 'share' },
    { name: 'same_lower', type: 'number', unit: 'share' },
    { name: 'same_upper', type: 'number', unit: 'share' },
    { name: 'chance_share', type: 'number', unit: 'share' },
    { name: 'difference', type: 'number', unit: 'percentage_points' },
    { name: 'difference_lower', type: 'number', unit: 'percentage_points' },
    { name: 'difference_upper', type: 'number', unit: 'percentage_points' },
    { name: 'coefficient', type: 'number', unit: 'coefficient' },
    { name: 'coefficient_lower', type: 'number', unit: 'coefficient' },
    { name: 'coefficient_upper', type: 'number', unit: 'coefficient' },
    { name: 'p_value', type: 'number', unit: null },
    { name: 'q_value', type: 'number', unit: null },
    { name: 'passes', type: 'boolean' },
  ];
  const rows: Cell[][] = mixings.map((m) => {
    const r = m.result;
    const pairs = m.rows.reduce((s, x) => s + x.pairs, 0);
    const referrers = m.rows.reduce((s, x) => s + x.referrers, 0);
    return [
      m.grouping.key,
      pairs,
      referrers,
      m.referredLevels.length,
      round(r?.sameShare.estimate),
      round(r?.sameShare.interval.lower),
      round(r?.sameShare.interval.upper),
      round(r?.chanceShare),
      round(r === null ? null : 100 * r.difference.estimate),
      round(r === null ? null : 100 * r.difference.interval.lower),
      round(r === null ? null : 100 * r.difference.interval.upper),
      round(r?.coefficient.estimate),
      round(r?.coefficient.interval.lower),
      round(r?.coefficient.interval.upper),
      round(r?.difference.pValue),
      round(m.qValue),
      m.passes,
    ];
  });
  return groupTable('referral_homophily', columns, rows, { countColumn: 'pairs', keyColumns: ['attribute', 'values'] });
}

/** Who brings whom: pairs by referrer value × referred value, with each referrer value's row shares. */
export function whoBringsWhomTable(mixings: readonly AttributeMixing[]): ResultTable {
  const rows: Cell[][] = mixings.flatMap((m) =>
    m.rows.flatMap((row) =>
      m.referredLevels.map((referred, j) => {
        const pairs = row.counts[j] ?? 0;
        return [m.grouping.key, row.level, referred, pairs, row.pairs > 0 ? round(pairs / row.pairs) : null];
      }),
    ),
  );
  return groupTable(
    'who_brings_whom',
    [
      { name: 'attribute', type: 'string' },
      { name: 'referrer_value', type: 'string' },
      { name: 'referred_value', type: 'string' },
      { name: 'pairs', type: 'integer', unit: 'pairs' },
      { name: 'row_share', type: 'number', unit: 'share' },
    ],
    rows,
    { countColumn: 'pairs', keyColumns: ['attribute', 'referrer_value', 'referred_value'] },
  );
}

export function valueCorrelationTable(v: ValueAssortativity | null): ResultTable {
  const rows: Cell[][] = [];
  if (v !== null) {
    for (const [method, c] of [['spearman', v.rank], ['pearson', v.linear]] as const) {
      if (c === null) continue;
      rows.push([method, v.days, c.pairs, c.clusters, round(c.estimate), round(c.interval.lower), round(c.interval.upper), round(c.pValue)]);
    }
  }
  return {
    name: 'referral_value_correlation',
    columns: [
      { name: 'method', type: 'string', unit: null },
      { name: 'days', type: 'integer', unit: 'days' },
      { name: 'pairs', type: 'integer', unit: 'pairs' },
      { name: 'referrers', type: 'integer', unit: 'customers' },
      { name: 'correlation', type: 'number', unit: 'correlation' },
      { name: 'lower', type: 'number', unit: 'correlation' },
      { name: 'upper', type: 'number', unit: 'correlation' },
      { name: 'p_value', type: 'number', unit: null },
    ],
    rows,
  };
}

export interface NamedComparison {
  /** `referred` (acquired by referral against the others) or `referrers` (referred someone against the others). */
  comparison: 'referred' | 'referrers';
  unit: string;
  result: GroupComparison;
}

export function comparisonTable(comparisons: readonly NamedComparison[]): ResultTable {
  const columns: TableColumnSpec[] = [
    { name: 'comparison', type: 'string' },
    { name: 'measure', type: 'string' },
    { name: 'unit', type: 'string' },
    { name: 'group_customers', type: 'integer', unit: 'customers' },
    { name: 'group_level', type: 'number' },
    { name: 'group_lower', type: 'number' },
    { name: 'group_upper', type: 'number' },
    { name: 'other_customers', type: 'integer', unit: 'customers' },
    { name: 'other_level', type: 'number' },
    { name: 'other_lower', type: 'number' },
    { name: 'other_upper', type: 'number' },
    { name: 'raw_difference', type: 'number' },
    { name: 'raw_lower', type: 'number' },
    { name: 'raw_upper', type: 'number' },
    { name: 'raw_p_value', type: 'number' },
    { name: 'adjusted', type: 'number' },
    { name: 'adjusted_lower', type: 'number' },
    { name: 'adjusted_upper', type: 'number' },
    { name: 'adjusted_p_value', type: 'number' },
    { name: 'adjusted_for', type: 'string' },
  ];
  const rows: Cell[][] = comparisons.map(({ comparison, unit, result: c }) => [
    comparison,
    c.measure,
    unit,
    c.group.n,
    round(c.group.level?.estimate),
    round(c.group.level?.interval.lower),
    round(c.group.level?.interval.upper),
    c.others.n,
    round(c.others.level?.estimate),
    round(c.others.level?.interval.lower),
    round(c.others.level?.interval.upper),
    round(c.raw?.estimate),
    round(c.raw?.interval.lower),
    round(c.raw?.interval.upper),
    round(c.raw?.pValue),
    round(c.adjusted?.estimate),
    round(c.adjusted?.interval.lower),
    round(c.adjusted?.interval.upper),
    round(c.adjusted?.pValue),
    c.adjustedFor.join(', '),
  ]);
  // Both groups must reach the minimum size for a row to show.
  const table = groupTable('referred_vs_others', columns, rows, { countColumn: 'group_customers', keyColumns: ['comparison', 'measure', 'unit'] });
  return groupTable(table.name, columns, table.rows, { countColumn: 'other_customers', keyColumns: ['comparison', 'measure', 'unit'] });
}

export function downstreamTable(segments: readonly SegmentDownstream[], currency: string): ResultTable {
  const columns: TableColumnSpec[] = [
    { name: 'grouping', type: 'string' },
    { name: 'level', type: 'string' },
    { name: 'pooled', type: 'boolean' },
    { name: 'referrers', type: 'integer', unit: 'customers' },
    { name: 'customers_brought', type: 'integer', unit: 'customers' },
    { name: 'own_net_value', type: 'number', unit: currency },
    { name: 'brought_net_value', type: 'number', unit: currency },
    { name: 'brought_per_referrer', type: 'number', unit: currency },
    { name: 'brought_lower', type: 'number', unit: currency },
    { name: 'brought_upper', type: 'number', unit: currency },
    { name: 'multiplier', type: 'number', unit: 'ratio' },
    { name: 'multiplier_lower', type: 'number', unit: 'ratio' },
    { name: 'multiplier_upper', type: 'number', unit: 'ratio' },
  ];
  const rows: Cell[][] = segments.map((s) => [
    s.grouping.key,
    s.level,
    s.pooled,
    s.sums.referrers,
    s.sums.pairs,
    round(s.sums.own),
    round(s.sums.brought),
    round(s.broughtPerReferrer?.estimate),
    round(s.broughtPerReferrer?.interval.lower),
    round(s.broughtPerReferrer?.interval.upper),
    round(s.multiplier?.estimate),
    round(s.multiplier?.interval.lower),
    round(s.multiplier?.interval.upper),
  ]);
  return groupTable('referral_value_by_segment', columns, rows, { countColumn: 'referrers', keyColumns: ['grouping', 'level', 'pooled'] });
}

export function topReferrersTable(top: readonly TopReferrer[], currency: string): ResultTable {
  return {
    name: 'top_referrers',
    columns: [
      { name: 'customer_id', type: 'string', unit: null },
      { name: 'customers_brought', type: 'integer', unit: 'customers' },
      { name: 'own_net_value', type: 'number', unit: currency },
      { name: 'brought_net_value', type: 'number', unit: currency },
    ],
    rows: top.map((t) => [t.customerId, t.brought, round(t.own), round(t.broughtValue)]),
  };
}
