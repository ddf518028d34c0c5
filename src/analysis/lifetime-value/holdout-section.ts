import { bgNbdExpectedPurchases, holdoutComparison, type BgNbdParams, type HoldoutComparison, type HoldoutRow } from '../../stats/index.js';
import { VEGA_LITE_SCHEMA } from '../charts.js';
import { groupTable, type ResultParts } from '../result-builder.js';
import type { Chart } from '../result.js';
import { words } from '../wording.js';
import type { HistoryRow } from './summaries.js';

/** The holdout rows in the model's unit: each history with the purchase days its customers made after calibration. */
export function holdoutRows(histories: readonly HistoryRow[], unitDays: number, holdoutDays: number): HoldoutRow[] {
  return histories.map((h) => ({ x: h.x, tx: h.txDays / unitDays, T: h.TDays / unitDays, count: h.count, holdoutPurchases: h.holdout, holdoutLength: holdoutDays / unitDays }));
}

/** BG/NBD's forecast of the holdout against what customers did, by calibration frequency 0..6 and 7+ (FHL05 Fig. 5). */
export function bgNbdHoldout(histories: readonly HistoryRow[], params: BgNbdParams, unitDays: number, holdoutDays: number): HoldoutComparison {
  return holdoutComparison(holdoutRows(histories, unitDays, holdoutDays), (t, history) => bgNbdExpectedPurchases(params, t, history));
}

export function holdoutSection(comparison: HoldoutComparison, calibrationEnd: string, asOf: string): Partial<ResultParts> {
  const table = groupTable(
    'holdout_by_frequency',
    [
      { name: 'calibration_frequency', type: 'string' },
      { name: 'n', type: 'integer', unit: 'customers' },
      { name: 'actual_mean', type: 'number', unit: 'purchases' },
      { name: 'expected_mean', type: 'number', unit: 'purchases' },
    ],
    comparison.bins.map((bin) => [bin.label, bin.n, bin.n > 0 ? bin.actualMean : null, bin.n > 0 ? bin.expectedMean : null]),
    { countColumn: 'n', keyColumns: ['calibration_frequency'] },
  );
  const shown = table.rows.filter((row) => row[2] !== null);
  const values = shown.flatMap((row) => [
    { frequency: row[0] ?? null, series: 'actual', purchases: row[2] ?? null },
    { frequency: row[0] ?? null, series: 'expected (BG/NBD)', purchases: row[3] ?? null },
  ]);
  const chart: Chart = {
    $schema: VEGA_LITE_SCHEMA,
    title: `Purchases after ${calibrationEnd}, by purchases before: actual and forecast`,
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'frequency', type: 'ordinal', sort: null, title: 'repeat purchase days in calibration' },
      y: { field: 'purchases', type: 'quantitative', title: `mean purchase days, ${calibrationEnd} to ${asOf}` },
      color: { field: 'series', type: 'nominal', title: null },
      tooltip: [
        { field: 'frequency', type: 'ordinal' },
        { field: 'series', type: 'nominal' },
        { field: 'purchases', type: 'quantitative', format: '.3f' },
      ],
    },
  };
  const total = comparison.expectedTotal / comparison.actualTotal;
  const summary = [
    `Holdout check (calibration to ${calibrationEnd}, forecast to ${asOf}): ${words.count(comparison.n)} customers made ${words.count(comparison.actualTotal)} purchase days; BG/NBD expected ${words.number(comparison.expectedTotal, 0)} (${words.percent(Math.abs(total - 1))} ${total >= 1 ? 'over' : 'under'}), and its forecasts explain ${words.percent(Math.max(0, comparison.skill))} of the holdout variation beyond a common rate (skill ${comparison.skill.toFixed(3)}).`,
  ];
  return { summary, tables: [table], charts: [chart], warnings: comparison.issue === null ? [] : [`Holdout: ${comparison.issue.sentence}`] };
}
