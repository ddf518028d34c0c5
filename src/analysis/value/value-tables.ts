import { isSuppressed } from '../../stats/index.js';
import { VEGA_LITE_SCHEMA } from '../charts.js';
import { groupTable } from '../result-builder.js';
import type { Cell, Chart, ResultTable } from '../result.js';
import type { SegmentValue } from './by-segment.js';
import type { HistogramBin } from './distribution.js';
import type { OverallValue } from './overall.js';
import { VALUE_PARTS } from './parts.js';

/** Net value and each part: total, per customer and per customer-month, with intervals; unknown parts have no numbers. */
export function partsTable(o: OverallValue, currency: string): ResultTable {
  const n = o.sums.customers;
  const rows: Cell[][] = o.parts.map((p) => [
    p.part.key,
    p.part.label,
    p.part.sign,
    p.known,
    n,
    p.known ? p.total : null,
    p.perCustomer?.estimate ?? null,
    p.perCustomer?.interval.lower ?? null,
    p.perCustomer?.interval.upper ?? null,
    o.sums.exposed,
    p.perMonth?.estimate ?? null,
    p.perMonth?.interval.lower ?? null,
    p.perMonth?.interval.upper ?? null,
  ]);
  rows.push([
    'net_value',
    'net value',
    1,
    true,
    n,
    o.net.total,
    o.net.perCustomer?.estimate ?? null,
    o.net.perCustomer?.interval.lower ?? null,
    o.net.perCustomer?.interval.upper ?? null,
    o.sums.exposed,
    o.net.perMonth?.estimate ?? null,
    o.net.perMonth?.interval.lower ?? null,
    o.net.perMonth?.interval.upper ?? null,
  ]);
  return groupTable(
    'value_parts',
    [
      { name: 'part', type: 'string' },
      { name: 'label', type: 'string' },
      { name: 'sign', type: 'integer' },
      { name: 'known', type: 'boolean' },
      { name: 'customers', type: 'integer', unit: 'customers' },
      { name: 'total', type: 'number', unit: currency },
      { name: 'per_customer', type: 'number', unit: currency },
      { name: 'per_customer_lower', type: 'number', unit: currency },
      { name: 'per_customer_upper', type: 'number', unit: currency },
      { name: 'exposed_customers', type: 'integer', unit: 'customers' },
      { name: 'per_customer_month', type: 'number', unit: currency },
      { name: 'lower', type: 'number', unit: currency },
      { name: 'upper', type: 'number', unit: currency },
    ],
    rows,
    { countColumn: 'customers', keyColumns: ['part', 'label', 'sign', 'known'] },
  );
}

export function channelsTable(o: OverallValue, currency: string): ResultTable {
  const cost = o.parts.find((p) => p.part.key === 'cost_to_serve')?.total ?? 0;
  return groupTable(
    'cost_to_serve_by_channel',
    [
      { name: 'channel', type: 'string' },
      { name: 'exposed_customers', type: 'integer', unit: 'customers' },
      { name: 'total', type: 'number', unit: currency },
      { name: 'share_of_cost', type: 'number', unit: 'share' },
      { name: 'per_customer_month', type: 'number', unit: currency },
      { name: 'lower', type: 'number', unit: currency },
      { name: 'upper', type: 'number', unit: currency },
    ],
    o.channels.map((c) => [c.channel, o.sums.exposed, c.total, cost > 0 ? c.total / cost : null, c.perMonth?.estimate ?? null, c.perMonth?.interval.lower ?? null, c.perMonth?.interval.upper ?? null]),
    { countColumn: 'exposed_customers', keyColumns: ['channel'] },
  );
}

export function unprofitableTable(o: OverallValue): ResultTable {
  const rows: Cell[][] = [];
  const c = o.unprofitableCustomers;
  if (c !== null) rows.push(['customers', o.sums.customers, o.sums.unprofitable, c.estimate, c.interval.lower, c.interval.upper]);
  const r = o.unprofitableRevenue;
  if (r !== null) rows.push(['gross_revenue', o.sums.customers, o.sums.unprofitableGross, r.estimate, r.interval.lower, r.interval.upper]);
  return groupTable(
    'unprofitable',
    [
      { name: 'measure', type: 'string' },
      { name: 'customers', type: 'integer', unit: 'customers' },
      { name: 'amount', type: 'number' },
      { name: 'share', type: 'number', unit: 'share' },
      { name: 'lower', type: 'number', unit: 'share' },
      { name: 'upper', type: 'number', unit: 'share' },
    ],
    rows,
    { countColumn: 'customers', keyColumns: ['measure'] },
  );
}

export const SEGMENT_COLUMNS = [
  'grouping',
  'level',
  'pooled',
  'customers',
  'exposed_customers',
  'customer_months',
  'net_value_total',
  'per_customer',
  'per_customer_month',
  'lower',
  'upper',
  ...VALUE_PARTS.map((p) => `${p.key}_per_month`),
  'difference',
  'difference_lower',
  'difference_upper',
  'p_value',
  'q_value',
  'passes',
] as const;

/** Net value by segment with each part per customer-month and the screened difference from the other customers. */
export function segmentTable(segments: readonly SegmentValue[], currency: string): ResultTable {
  const rows: Cell[][] = segments.map((s) => [
    s.grouping.key,
    s.level,
    s.pooled,
    s.sums.customers,
    s.sums.exposed,
    s.sums.months,
    s.sums.money['net_value']?.total ?? null,
    s.perCustomer?.estimate ?? null,
    s.perMonth?.estimate ?? null,
    s.perMonth?.interval.lower ?? null,
    s.perMonth?.interval.upper ?? null,
    ...VALUE_PARTS.map((p) => s.parts[p.key]?.estimate ?? null),
    s.difference?.estimate ?? null,
    s.difference?.interval.lower ?? null,
    s.difference?.interval.upper ?? null,
    s.difference?.pValue ?? null,
    s.qValue,
    s.passes,
  ]);
  const type = (name: string): { type: 'string' | 'boolean' | 'integer' | 'number'; unit?: string | null } => {
    if (name === 'grouping' || name === 'level') return { type: 'string' };
    if (name === 'pooled' || name === 'passes') return { type: 'boolean' };
    if (name === 'customers' || name === 'exposed_customers') return { type: 'integer', unit: 'customers' };
    if (name === 'customer_months') return { type: 'number', unit: 'months' };
    if (name === 'p_value' || name === 'q_value') return { type: 'number' };
    return { type: 'number', unit: currency };
  };
  return groupTable(
    'value_by_segment',
    SEGMENT_COLUMNS.map((name) => ({ name, ...type(name) })),
    rows,
    { countColumn: 'customers', keyColumns: ['grouping', 'level', 'pooled'] },
  );
}

export function histogramTable(bins: readonly HistogramBin[], currency: string): ResultTable {
  return {
    name: 'net_value_histogram',
    columns: [
      { name: 'from', type: 'number', unit: currency },
      { name: 'to', type: 'number', unit: currency },
      { name: 'customers', type: 'integer', unit: 'customers' },
    ],
    rows: bins.map((b) => [b.from, b.to, b.customers]),
  };
}

/** Net value per customer-month by segment: a bar per segment with its interval as a rule, a line at zero. */
export function segmentChart(segments: readonly SegmentValue[], currency: string): Chart {
  const values = segments
    .filter((s) => !s.pooled && s.perMonth !== null && !isSuppressed(s.sums.customers))
    .map((s) => ({
      segment: `${s.grouping.label}: ${s.level}`,
      grouping: s.grouping.label,
      value: s.perMonth?.estimate ?? null,
      lower: s.perMonth?.interval.lower ?? null,
      upper: s.perMonth?.interval.upper ?? null,
      n: s.sums.exposed,
      clear: s.passes,
    }));
  const segment = { field: 'segment', type: 'nominal', sort: { field: 'value', order: 'descending' }, title: null };
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: 'Net value per customer-month by segment',
    data: { values },
    layer: [
      {
        mark: 'bar',
        encoding: {
          y: segment,
          x: { field: 'value', type: 'quantitative', title: `net value per customer-month (${currency})` },
          color: { field: 'grouping', type: 'nominal', title: 'segment by' },
          opacity: { field: 'clear', type: 'nominal', scale: { domain: [true, false], range: [1, 0.45] }, title: 'differs clearly' },
          tooltip: [
            { field: 'segment', type: 'nominal' },
            { field: 'value', type: 'quantitative', format: ',.2f' },
            { field: 'lower', type: 'quantitative', format: ',.2f' },
            { field: 'upper', type: 'quantitative', format: ',.2f' },
            { field: 'n', type: 'quantitative' },
          ],
        },
      },
      { mark: 'rule', encoding: { y: segment, x: { field: 'lower', type: 'quantitative' }, x2: { field: 'upper' } } },
      { mark: { type: 'rule', strokeDash: [4, 4] }, data: { values: [{ zero: 0 }] }, encoding: { x: { field: 'zero', type: 'quantitative' } } },
    ],
  };
}
