import { VEGA_LITE_SCHEMA } from '../charts.js';
import { groupTable } from '../result-builder.js';
import type { Cell as ResultCell, Chart, ResultTable } from '../result.js';
import { describeCell } from './misaligned-findings.js';
import type { CellVerdict } from './scan.js';
import type { SegmentScan } from './scan-segments.js';

/** A row of the segments table: a verdict and what became of it. */
export interface SegmentRow {
  verdict: CellVerdict;
  status: string;
}

/** The segments that meet a condition, each with its figures and status (reported, described by a parent, covered, one condition only). */
export function segmentsTable(rows: readonly SegmentRow[], overall: number, currency: string, unit: string): ResultTable {
  const cells: ResultCell[][] = rows.map(({ verdict: v, status }) => [
    describeCell(v.cell),
    v.cell.key,
    v.cell.conditions.length,
    status,
    v.cell.sums.customers,
    v.cell.sums.active,
    v.cell.sums.satisfaction?.respondents ?? 0,
    v.netValue?.estimate ?? null,
    v.netValue?.interval.lower ?? null,
    v.netValue?.interval.upper ?? null,
    v.satisfaction?.estimate ?? null,
    v.satisfaction?.interval.lower ?? null,
    v.satisfaction?.interval.upper ?? null,
    overall,
    v.yearlyLoss?.estimate ?? null,
    v.yearlyLoss?.interval.lower ?? null,
    v.yearlyLoss?.interval.upper ?? null,
    v.pLoss,
    v.pBelow,
    v.qValue,
  ]);
  return groupTable(
    'misaligned_segments',
    [
      { name: 'segment', type: 'string' },
      { name: 'key', type: 'string' },
      { name: 'conditions', type: 'integer' },
      { name: 'status', type: 'string' },
      { name: 'customers', type: 'integer', unit: 'customers' },
      { name: 'active_customers', type: 'integer', unit: 'customers' },
      { name: 'respondents', type: 'integer', unit: 'customers' },
      { name: 'net_value_per_month', type: 'number', unit: currency },
      { name: 'net_value_lower', type: 'number', unit: currency },
      { name: 'net_value_upper', type: 'number', unit: currency },
      { name: 'satisfaction', type: 'number', unit },
      { name: 'satisfaction_lower', type: 'number', unit },
      { name: 'satisfaction_upper', type: 'number', unit },
      { name: 'overall_satisfaction', type: 'number', unit },
      { name: 'yearly_loss', type: 'number', unit: currency },
      { name: 'yearly_loss_lower', type: 'number', unit: currency },
      { name: 'yearly_loss_upper', type: 'number', unit: currency },
      { name: 'p_loss', type: 'number' },
      { name: 'p_less_satisfied', type: 'number' },
      { name: 'q_value', type: 'number' },
    ],
    cells,
    { countColumn: 'customers', keyColumns: ['segment', 'key', 'conditions', 'status'] },
  );
}

/** How many cells each size of description produced and how many met each condition. */
export function scanTable(scan: SegmentScan): ResultTable {
  const rows: ResultCell[][] = scan.combinations.map((combinations, i) => {
    const of = scan.scan.verdicts.filter((v) => v.cell.conditions.length === i + 1);
    return [i + 1, combinations, of.length, of.filter((v) => v.tested).length, of.filter((v) => v.costly).length, of.filter((v) => v.unhappy).length, of.filter((v) => v.misaligned).length];
  });
  return {
    name: 'misaligned_scan',
    columns: [
      { name: 'conditions', type: 'integer', unit: null },
      { name: 'combinations', type: 'integer', unit: 'count' },
      { name: 'cells', type: 'integer', unit: 'count' },
      { name: 'cells_tested', type: 'integer', unit: 'count' },
      { name: 'losing_money', type: 'integer', unit: 'count' },
      { name: 'less_satisfied', type: 'integer', unit: 'count' },
      { name: 'both', type: 'integer', unit: 'count' },
    ],
    rows,
  };
}

/** Every tested segment by net value per customer-month and satisfaction, with the lines both conditions are judged against. */
export function scanChart(scan: SegmentScan, overall: number, currency: string, label: string): Chart {
  const status = (v: CellVerdict): string => (v.misaligned ? 'both' : v.costly ? 'losing money' : v.unhappy ? 'less satisfied' : 'neither');
  const values = scan.scan.verdicts
    .filter((v) => v.tested)
    .map((v) => ({ segment: describeCell(v.cell), net_value: v.netValue?.estimate ?? null, satisfaction: v.satisfaction?.estimate ?? null, customers: v.cell.sums.customers, status: status(v) }));
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: `Segments by net value per customer-month and ${label}`,
    data: { values },
    layer: [
      {
        mark: { type: 'point', filled: true, opacity: 0.6 },
        encoding: {
          x: { field: 'net_value', type: 'quantitative', title: `net value per customer-month (${currency})` },
          y: { field: 'satisfaction', type: 'quantitative', title: label },
          size: { field: 'customers', type: 'quantitative' },
          color: { field: 'status', type: 'nominal', scale: { domain: ['both', 'losing money', 'less satisfied', 'neither'] } },
          tooltip: [
            { field: 'segment', type: 'nominal' },
            { field: 'net_value', type: 'quantitative', format: ',.2f' },
            { field: 'satisfaction', type: 'quantitative', format: '.1f' },
            { field: 'customers', type: 'quantitative' },
          ],
        },
      },
      { mark: { type: 'rule', strokeDash: [4, 4] }, data: { values: [{ zero: 0 }] }, encoding: { x: { field: 'zero', type: 'quantitative' } } },
      { mark: { type: 'rule', strokeDash: [4, 4] }, data: { values: [{ overall }] }, encoding: { y: { field: 'overall', type: 'quantitative' } } },
    ],
  };
}
