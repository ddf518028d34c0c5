import { VEGA_LITE_SCHEMA } from '../charts.js';
import { groupTable, type TableColumnSpec } from '../result-builder.js';
import type { Cell, Chart, ResultTable } from '../result.js';
import type { IntervalEstimate } from '../../stats/index.js';
import type { DissatisfiedClass } from './dissatisfied-classes.js';
import type { BaseSums } from './line-sums.js';
import type { LineVerdict } from './line-verdicts.js';
import type { RevenueLine } from './revenue-lines.js';

/** The table of one class's lines: `bad_revenue_<class>` (bad_revenue_detractors, bad_revenue_low_csat, bad_revenue_churned). */
export function linesTableName(klass: DissatisfiedClass): string {
  return `bad_revenue_${klass.key}`;
}

function lineColumns(currency: string): TableColumnSpec[] {
  return [
    { name: 'line', type: 'string' },
    { name: 'kind', type: 'string' },
    { name: 'key', type: 'string' },
    { name: 'class', type: 'string' },
    { name: 'status', type: 'string' },
    { name: 'revenue', type: 'number', unit: currency },
    { name: 'payers', type: 'integer', unit: 'count' },
    { name: 'payers_known', type: 'integer', unit: 'count' },
    { name: 'revenue_known', type: 'number', unit: currency },
    { name: 'revenue_coverage', type: 'number', unit: 'share' },
    { name: 'dissatisfied_revenue', type: 'number', unit: currency },
    { name: 'revenue_share', type: 'number', unit: 'share' },
    { name: 'customer_share', type: 'number', unit: 'share' },
    { name: 'ratio', type: 'number', unit: 'concentration_ratio' },
    { name: 'lower', type: 'number', unit: 'concentration_ratio' },
    { name: 'upper', type: 'number', unit: 'concentration_ratio' },
    { name: 'p_value', type: 'number', unit: null },
    { name: 'q_value', type: 'number', unit: null },
    { name: 'excess_revenue', type: 'number', unit: currency },
    { name: 'excess_lower', type: 'number', unit: currency },
    { name: 'excess_upper', type: 'number', unit: currency },
  ];
}

function status(v: LineVerdict, index: number, pools: ReadonlyMap<string, RevenueLine>, screened: boolean): string {
  const line = v.line;
  if (line.status === 'folded') return `pooled into ${pools.get(line.foldedInto ?? '')?.label ?? 'other'}`;
  if (line.status === 'too small') return 'too small to compare';
  if (v.byClass[index] === null || v.byClass[index] === undefined) return 'not estimable (no dissatisfied payer, or too few customers to bound the ratio)';
  if (!screened) return 'shown, not screened';
  if (v.alert) return 'alert';
  if (v.aboveOne) return 'above its share, under the threshold';
  return 'not clearly above its share';
}

/**
 * One row per line (compared, pooled, folded, too small) for class number
 * `index`; only the class alerted on (index 0) carries q-values and verdicts.
 */
export function linesTable(verdicts: readonly LineVerdict[], klass: DissatisfiedClass, index: number, currency: string): ResultTable {
  const pools = new Map(verdicts.map((v) => [v.line.key, v.line]));
  const rows: Cell[][] = verdicts.map((v) => {
    const sums = v.line.raw.classes[index];
    const c = v.byClass[index] ?? null;
    const known = sums?.y ?? 0;
    return [
      v.line.label,
      v.line.kind,
      v.line.key,
      klass.key,
      status(v, index, pools, index === 0),
      v.line.raw.revenue,
      v.line.raw.payers,
      sums?.payers ?? 0,
      known,
      v.line.raw.revenue > 0 ? known / v.line.raw.revenue : null,
      sums?.dy ?? 0,
      known > 0 ? (sums?.dy ?? 0) / known : null,
      c?.customerShare ?? null,
      c?.ratio ?? null,
      c?.interval.lower ?? null,
      c?.interval.upper ?? null,
      c?.pValue ?? null,
      index === 0 ? v.qValue : null,
      c?.excess.estimate ?? null,
      c?.excess.interval.lower ?? null,
      c?.excess.interval.upper ?? null,
    ];
  });
  return groupTable(linesTableName(klass), lineColumns(currency), rows, { countColumn: 'payers_known', keyColumns: ['line', 'kind', 'key', 'class', 'status'] });
}

/** Per class: who is counted, whose class is known, the dissatisfied share, the revenue covered and the share of it they paid. */
export function coverageTable(base: BaseSums, classes: readonly DissatisfiedClass[], overall: readonly (IntervalEstimate | null)[], currency: string): ResultTable {
  const columns: TableColumnSpec[] = [
    { name: 'class', type: 'string' },
    { name: 'definition', type: 'string' },
    { name: 'basis', type: 'string' },
    { name: 'customers', type: 'integer', unit: 'count' },
    { name: 'known', type: 'integer', unit: 'count' },
    { name: 'known_share', type: 'number', unit: 'share' },
    { name: 'dissatisfied_share', type: 'number', unit: 'share' },
    { name: 'revenue', type: 'number', unit: currency },
    { name: 'revenue_known', type: 'number', unit: currency },
    { name: 'revenue_coverage', type: 'number', unit: 'share' },
    { name: 'dissatisfied_revenue_share', type: 'number', unit: 'share' },
    { name: 'lower', type: 'number', unit: 'share' },
    { name: 'upper', type: 'number', unit: 'share' },
  ];
  const rows: Cell[][] = classes.map((c, i) => {
    const b = base.classes[i];
    const share = overall[i] ?? null;
    return [
      c.key,
      c.definition,
      c.basis,
      base.customers,
      b?.base.customers ?? 0,
      base.customers > 0 ? (b?.base.customers ?? 0) / base.customers : null,
      b !== undefined && b.base.w > 0 ? b.base.dw / b.base.w : null,
      base.revenue,
      b?.paid.y ?? 0,
      base.revenue > 0 ? (b?.paid.y ?? 0) / base.revenue : null,
      share?.estimate ?? null,
      share?.interval.lower ?? null,
      share?.interval.upper ?? null,
    ];
  });
  return groupTable('bad_revenue_coverage', columns, rows, { countColumn: 'known', keyColumns: ['class', 'definition', 'basis'] });
}

/** Each compared line's concentration ratio with its interval, against 1 (its fair share) and the alert's minimum. */
export function ratioChart(verdicts: readonly LineVerdict[], klass: DissatisfiedClass, minimumRatio: number): Chart {
  const values = verdicts.flatMap((v) => {
    const c = v.byClass[0] ?? null;
    if (c === null) return [];
    return [{ line: v.line.label, ratio: c.ratio, lower: c.interval.lower, upper: c.interval.upper, verdict: v.alert ? 'alert' : v.aboveOne ? 'above its share' : 'not clearly above', n: v.line.raw.classes[0]?.payers ?? 0 }];
  });
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: `Share of each revenue line's revenue from ${klass.label} over their share of customers`,
    data: { values },
    // Sorted by a field, not by channel ('-x'): a layer drawing a rule at an x datum has no x field to sort by, which Vega-Lite refuses.
    encoding: { y: { field: 'line', type: 'nominal', sort: { field: 'ratio', op: 'max', order: 'descending' }, title: 'revenue line' } },
    layer: [
      { mark: 'rule', encoding: { x: { field: 'lower', type: 'quantitative', title: 'concentration ratio (1 = a fair share)' }, x2: { field: 'upper' } } },
      {
        mark: { type: 'point', filled: true },
        encoding: {
          x: { field: 'ratio', type: 'quantitative' },
          color: { field: 'verdict', type: 'nominal', title: null },
          tooltip: [
            { field: 'line', type: 'nominal' },
            { field: 'ratio', type: 'quantitative', format: '.2f' },
            { field: 'lower', type: 'quantitative', format: '.2f' },
            { field: 'upper', type: 'quantitative', format: '.2f' },
            { field: 'n', type: 'quantitative', title: 'paying customers of known class' },
          ],
        },
      },
      { mark: { type: 'rule', strokeDash: [4, 4] }, encoding: { x: { datum: 1 } } },
      { mark: { type: 'rule', color: 'firebrick', strokeDash: [2, 2] }, encoding: { x: { datum: minimumRatio } } },
    ],
  };
}
