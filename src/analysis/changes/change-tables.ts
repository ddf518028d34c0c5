import { VEGA_LITE_SCHEMA } from '../charts.js';
import { groupTable } from '../result-builder.js';
import type { Cell, Chart, ResultTable } from '../result.js';
import { PRE_TREND_ALPHA, presented, type Claim } from './effect-claims.js';
import type { MeasuredChange } from './measure-change.js';

/** A number for a table cell: null when missing or not finite. Full precision: the engines' equivalence is checked on these. */
const finite = (x: number | null | undefined): number | null => (x === null || x === undefined || !Number.isFinite(x) ? null : x);

/** One row per change: its windows, groups and sizes, or why it was not measured. */
export function changesTable(changes: readonly MeasuredChange[]): ResultTable {
  return {
    name: 'changes',
    columns: [
      { name: 'change', type: 'string', unit: null },
      { name: 'date', type: 'date', unit: null },
      { name: 'segment', type: 'string', unit: null },
      { name: 'comparison', type: 'string', unit: null },
      { name: 'before_from', type: 'date', unit: null },
      { name: 'placebo_date', type: 'date', unit: null },
      { name: 'after_to', type: 'date', unit: null },
      { name: 'treated_customers', type: 'integer', unit: 'customers' },
      { name: 'comparison_customers', type: 'integer', unit: 'customers' },
      { name: 'note', type: 'string', unit: null },
    ],
    rows: changes.map((m) => [
      m.change.name,
      m.change.date,
      m.groups?.segment ?? m.change.segment ?? null,
      m.groups === null ? (m.change.compare ?? null) : m.groups.segment === null ? null : (m.groups.compare ?? m.groups.comparisonWords),
      m.windows.beforeStart,
      m.windows.placebo,
      m.windows.afterLast,
      m.groups === null ? null : m.treatedCustomers,
      m.groups === null || m.groups.segment === null ? null : m.comparisonCustomers,
      m.skipped ?? (m.windows.cuts.length === 0 ? null : m.windows.cuts.join('; ')),
    ]),
  };
}

/**
 * One row per change and measure: each group's mean before and after, the
 * effect with its interval and tests, and the pre-trend. Means are in the
 * measure's own terms (NPS points, CSAT score, a share, churn or money per
 * customer-month); the effect in the unit of `unit`.
 */
export function effectsTable(changes: readonly MeasuredChange[], claims: ReadonlyMap<string, ReadonlyMap<string, Claim>>, currency: string): ResultTable {
  const rows: Cell[][] = [];
  for (const m of changes) {
    for (const e of m.effects) {
      const claim = claims.get(m.slug)?.get(e.measure.key);
      const effect = e.effect === null ? null : presented(e.measure.kind, e.effect, currency);
      const pre = e.preTrend === null ? null : presented(e.measure.kind, e.preTrend, currency);
      const smallest = Math.min(e.treated[0].customers, e.treated[1].customers, ...(e.comparison === null ? [] : [e.comparison[0].customers, e.comparison[1].customers]));
      rows.push([
        m.change.name,
        e.measure.key,
        effect?.unit ?? null,
        finite(e.treated[0].mean),
        finite(e.treated[1].mean),
        finite(e.comparison?.[0].mean),
        finite(e.comparison?.[1].mean),
        finite(effect?.estimate),
        finite(effect?.interval.lower),
        finite(effect?.interval.upper),
        finite(effect?.standardError),
        effect?.standardErrorScale ?? null,
        finite(claim?.pValue),
        finite(claim?.qValue),
        claim?.passes ?? false,
        finite(pre?.estimate),
        finite(pre?.interval.lower),
        finite(pre?.interval.upper),
        finite(e.preTrend?.pValue),
        e.preTrend === null ? null : e.preTrend.pValue < PRE_TREND_ALPHA,
        e.treated[0].customers,
        e.treated[1].customers,
        e.comparison?.[0].customers ?? null,
        e.comparison?.[1].customers ?? null,
        e.treated[0].observations + e.treated[1].observations + (e.comparison?.[0].observations ?? 0) + (e.comparison?.[1].observations ?? 0),
        e.reason,
        smallest,
      ]);
    }
  }
  const table = groupTable(
    'change_effects',
    [
      { name: 'change', type: 'string' },
      { name: 'measure', type: 'string' },
      { name: 'unit', type: 'string' },
      { name: 'segment_before', type: 'number' },
      { name: 'segment_after', type: 'number' },
      { name: 'comparison_before', type: 'number' },
      { name: 'comparison_after', type: 'number' },
      { name: 'effect', type: 'number' },
      { name: 'lower', type: 'number' },
      { name: 'upper', type: 'number' },
      { name: 'standard_error', type: 'number' },
      { name: 'standard_error_scale', type: 'string' },
      { name: 'p_value', type: 'number', unit: 'probability' },
      { name: 'q_value', type: 'number', unit: 'probability' },
      { name: 'claimed', type: 'boolean' },
      { name: 'pre_trend', type: 'number' },
      { name: 'pre_trend_lower', type: 'number' },
      { name: 'pre_trend_upper', type: 'number' },
      { name: 'pre_trend_p', type: 'number', unit: 'probability' },
      { name: 'pre_trend_flag', type: 'boolean' },
      { name: 'segment_customers_before', type: 'integer', unit: 'customers' },
      { name: 'segment_customers_after', type: 'integer', unit: 'customers' },
      { name: 'comparison_customers_before', type: 'integer', unit: 'customers' },
      { name: 'comparison_customers_after', type: 'integer', unit: 'customers' },
      { name: 'observations', type: 'integer', unit: 'count' },
      { name: 'note', type: 'string' },
      { name: 'smallest_cell', type: 'integer', unit: 'customers' },
    ],
    rows,
    { countColumn: 'smallest_cell', keyColumns: ['change', 'measure', 'unit', 'standard_error_scale', 'note', 'smallest_cell'] },
  );
  return table;
}

/** NPS per month for each group of each change (the charts' data). */
export function monthlyTable(changes: readonly MeasuredChange[]): ResultTable {
  const rows: Cell[][] = changes.flatMap((m) =>
    m.months.map((r) => [m.change.name, r.month, r.group === 1 ? 'segment' : 'comparison', r.answers, r.customers, finite(r.nps), finite(r.lower), finite(r.upper)]),
  );
  return groupTable(
    'change_nps_by_month',
    [
      { name: 'change', type: 'string' },
      { name: 'month', type: 'date' },
      { name: 'group', type: 'string' },
      { name: 'answers', type: 'integer', unit: 'count' },
      { name: 'customers', type: 'integer', unit: 'customers' },
      { name: 'nps', type: 'number', unit: 'points' },
      { name: 'lower', type: 'number', unit: 'points' },
      { name: 'upper', type: 'number', unit: 'points' },
    ],
    rows,
    { countColumn: 'customers', keyColumns: ['change', 'month', 'group'] },
  );
}

/**
 * NPS by month for the segment and its comparison group, each with its 95%
 * band, the change date as a solid rule and the placebo date as a dashed
 * one. Months with fewer than 5 customers answering are left out.
 */
export function monthlyChart(m: MeasuredChange): Chart | null {
  const kept = m.months.filter((r) => r.customers >= 5);
  if (kept.length === 0) return null;
  const series = (g: number): string => (g === 1 ? `segment (${m.groups?.treatedWords ?? 'all customers'})` : 'comparison group');
  const values = kept.map((r) => ({ month: r.month, group: series(r.group), nps: finite(r.nps), lower: finite(r.lower), upper: finite(r.upper), customers: r.customers }));
  const rule = (date: string, label: string, dash: number[]): Record<string, unknown> => ({
    data: { values: [{ date, label }] },
    mark: { type: 'rule', strokeDash: dash },
    encoding: { x: { field: 'date', type: 'temporal' }, tooltip: [{ field: 'label', type: 'nominal' }, { field: 'date', type: 'temporal' }] },
  });
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: `${m.change.name}: NPS by month, the segment against ${m.groups?.segment === null ? 'itself before' : 'its comparison group'}`,
    data: { values },
    layer: [
      {
        mark: { type: 'errorband', opacity: 0.2 },
        encoding: { x: { field: 'month', type: 'temporal', title: 'month' }, y: { field: 'lower', type: 'quantitative', title: 'NPS' }, y2: { field: 'upper' }, color: { field: 'group', type: 'nominal', title: null } },
      },
      {
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: 'month', type: 'temporal' },
          y: { field: 'nps', type: 'quantitative' },
          color: { field: 'group', type: 'nominal' },
          tooltip: [
            { field: 'month', type: 'temporal', timeUnit: 'yearmonth' },
            { field: 'group', type: 'nominal' },
            { field: 'nps', type: 'quantitative', format: '.1f' },
            { field: 'customers', type: 'quantitative' },
          ],
        },
      },
      rule(m.change.date, `${m.change.name} (the change)`, []),
      rule(m.windows.placebo, 'placebo date (pre-trend check)', [4, 4]),
    ],
  };
}
