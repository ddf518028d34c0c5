import { tCritical } from '../../stats/index.js';
import { groupTable } from '../result-builder.js';
import type { Cell, ResultTable } from '../result.js';
import type { FairValueLine } from './balance-math.js';
import type { SegmentBalance } from './balance-scan.js';
import { describeSegment } from './balance-words.js';

/** Every segment on the value map: its price, its value delivered, the line's price there, the deviation and the verdict. */
export function segmentsTable(segments: readonly SegmentBalance[], line: FairValueLine, currency: string): ResultTable {
  const axes = line.names.slice(1);
  const rows: Cell[][] = segments.map((s) => {
    const d = s.deviation;
    return [
      describeSegment(s),
      s.grouping.key,
      s.level,
      s.verdict,
      s.customers,
      s.active,
      d?.n ?? 0,
      d?.meanPrice ?? null,
      ...axes.map((_, i) => d?.means[i + 1] ?? null),
      d?.fairPrice ?? null,
      d?.estimate ?? null,
      d?.interval.lower ?? null,
      d?.interval.upper ?? null,
      d?.pValue ?? null,
      s.tested ? s.qValue : null,
      s.yearly?.estimate ?? null,
      s.yearly?.interval.lower ?? null,
      s.yearly?.interval.upper ?? null,
    ];
  });
  return groupTable(
    'value_balance_segments',
    [
      { name: 'segment', type: 'string' },
      { name: 'attribute', type: 'string' },
      { name: 'level', type: 'string' },
      { name: 'verdict', type: 'string' },
      { name: 'customers', type: 'integer', unit: 'customers' },
      { name: 'active_customers', type: 'integer', unit: 'customers' },
      { name: 'customers_on_map', type: 'integer', unit: 'customers' },
      { name: 'price_per_month', type: 'number', unit: currency },
      ...axes.map((a) => ({ name: a === 'usage' ? 'usage_per_month' : a, type: 'number' as const, unit: a === 'usage' ? 'events per month' : 'points' })),
      { name: 'fair_price_per_month', type: 'number', unit: currency },
      { name: 'deviation', type: 'number', unit: currency },
      { name: 'deviation_lower', type: 'number', unit: currency },
      { name: 'deviation_upper', type: 'number', unit: currency },
      { name: 'p_value', type: 'number' },
      { name: 'q_value', type: 'number' },
      { name: 'money_per_year', type: 'number', unit: currency },
      { name: 'money_per_year_lower', type: 'number', unit: currency },
      { name: 'money_per_year_upper', type: 'number', unit: currency },
    ],
    rows,
    { countColumn: 'customers_on_map', keyColumns: ['segment', 'attribute', 'level', 'verdict'] },
  );
}

/** The fair-value line: each coefficient with its cluster-robust interval, and each axis's exposure-weighted mean. */
export function lineTable(line: FairValueLine, covariance: readonly (readonly number[])[], currency: string, level = 0.95): ResultTable {
  const z = tCritical(level, Math.max(1, line.n - line.names.length));
  return {
    name: 'value_balance_line',
    columns: [
      { name: 'term', type: 'string', unit: null },
      { name: 'coefficient', type: 'number', unit: currency },
      { name: 'standard_error', type: 'number', unit: currency },
      { name: 'lower', type: 'number', unit: currency },
      { name: 'upper', type: 'number', unit: currency },
      { name: 'mean', type: 'number', unit: null },
      { name: 'customers', type: 'integer', unit: 'customers' },
    ],
    rows: line.names.map((name, j) => {
      const b = line.coefficients[j] ?? 0;
      const se = Math.sqrt(Math.max(0, covariance[j]?.[j] ?? 0));
      return [name, b, se, b - z * se, b + z * se, j === 0 ? line.meanPrice : (line.means[j] ?? null), line.n];
    }),
  };
}
