import { VEGA_LITE_SCHEMA } from '../charts.js';
import type { Chart, Finding, ResultTable } from '../result.js';
import { groupTable } from '../result-builder.js';
import { DIFFERENCE_UNITS } from '../thresholds.js';
import { scaleInterval, words } from '../wording.js';
import type { Comparison } from './aftermath-math.js';

export type OutcomeKey = 'churn' | 'satisfaction';

/** One line's comparison on one outcome, screened with the others. */
export interface LineOutcome {
  line: string;
  /** Words for the line: "Late fee". */
  label: string;
  outcome: OutcomeKey;
  /** Customers first charged in a usable week (matched or not). */
  charged: number;
  comparison: Comparison | null;
  /** Why there is no comparison. */
  why?: string;
  qValue?: number;
  passes?: boolean;
}

export interface OutcomeWords {
  /** NPS or CSAT. */
  label: string;
  /** A score in a sentence. */
  format: (x: number) => string;
}

/** Harm: more churn, or lower satisfaction. */
export function harmful(o: LineOutcome): boolean {
  const c = o.comparison;
  return c !== null && (o.outcome === 'churn' ? c.difference > 0 : c.difference < 0);
}

const signedNumber = (x: number): string => `${x >= 0 ? '+' : '−'}${words.number(Math.abs(x), 1)}`;

export function outcomeFinding(o: LineOutcome, s: OutcomeWords | null, concentration: string): Finding | null {
  const c = o.comparison;
  if (c === null) return null;
  const peers = 'comparable customers still without it (same week, segment, tenure band and value band)';
  if (o.outcome === 'churn') {
    const interval = scaleInterval(c.interval, 100);
    return {
      code: 'fee-aftermath.churn',
      text:
        `After a first ${o.label}${concentration}, ${words.percent(c.treated)} of ${words.count(c.matched)} customers churned within 90 days, against ${words.percent(c.controls)} of ${peers}: ` +
        `${words.points(c.difference)} (${words.interval(interval, signedNumber)})${o.passes === true ? '' : '; not a clear difference'}.`,
      estimate: 100 * c.difference,
      unit: DIFFERENCE_UNITS.percentagePoints,
      interval,
      n: c.matched,
      pValue: c.pValue,
      ...(o.qValue === undefined ? {} : { qValue: o.qValue }),
      severity: o.passes === true ? (harmful(o) ? 'high' : 'low') : 'info',
    };
  }
  const label = s?.label ?? 'satisfaction';
  const format = s?.format ?? ((x: number) => words.number(x, 1));
  const signed = (x: number): string => `${x >= 0 ? '+' : '−'}${format(Math.abs(x))}`;
  return {
    code: 'fee-aftermath.satisfaction',
    text:
      `${words.count(c.matched)} customers who answered a survey in the 90 days after a first ${o.label}${concentration} gave ${label === 'NPS' ? 'an' : 'a'} ${label} of ${format(c.treated)}, against ${format(c.controls)} from ${peers}: ` +
      `${signed(c.difference)} points (${words.interval(c.interval, signed)})${o.passes === true ? '' : '; not a clear difference'}.`,
    estimate: c.difference,
    unit: DIFFERENCE_UNITS.points,
    interval: c.interval,
    n: c.matched,
    pValue: c.pValue,
    ...(o.qValue === undefined ? {} : { qValue: o.qValue }),
    severity: o.passes === true ? (harmful(o) ? 'high' : 'low') : 'info',
  };
}

export function aftermathTable(outcomes: readonly LineOutcome[]): ResultTable {
  return groupTable(
    'fee_aftermath',
    [
      { name: 'line', type: 'string' },
      { name: 'outcome', type: 'string' },
      { name: 'status', type: 'string' },
      { name: 'charged', type: 'integer', unit: 'count' },
      { name: 'matched', type: 'integer', unit: 'count' },
      { name: 'unmatched', type: 'integer', unit: 'count' },
      { name: 'control_weeks', type: 'integer', unit: 'count' },
      { name: 'after_fee', type: 'number', unit: null },
      { name: 'comparable', type: 'number', unit: null },
      { name: 'difference', type: 'number', unit: null },
      { name: 'lower', type: 'number', unit: null },
      { name: 'upper', type: 'number', unit: null },
      { name: 'p_value', type: 'number', unit: null },
      { name: 'q_value', type: 'number', unit: null },
    ],
    outcomes.map((o) => {
      const c = o.comparison;
      const status = c === null ? (o.why ?? 'not compared') : o.passes === true ? (harmful(o) ? 'worse after the fee' : 'better after the fee') : 'no clear difference';
      return [o.label, o.outcome, status, o.charged, c?.matched ?? 0, c?.unmatched ?? 0, c?.controlWeeks ?? 0, c?.treated ?? null, c?.controls ?? null, c?.difference ?? null, c?.interval.lower ?? null, c?.interval.upper ?? null, c?.pValue ?? null, o.qValue ?? null];
    }),
    { countColumn: 'matched', keyColumns: ['line', 'outcome', 'status'] },
  );
}

/** Each line's difference after the fee with its interval, one chart per outcome (their units differ). */
export function aftermathChart(outcomes: readonly LineOutcome[], outcome: OutcomeKey, title: string, axis: string): Chart {
  const scale = outcome === 'churn' ? 100 : 1;
  const values = outcomes
    .filter((o) => o.outcome === outcome && o.comparison !== null)
    .map((o) => {
      const c = o.comparison as Comparison;
      return { line: o.label, difference: scale * c.difference, lower: scale * c.interval.lower, upper: scale * c.interval.upper, n: c.matched };
    });
  return {
    $schema: VEGA_LITE_SCHEMA,
    title,
    data: { values },
    encoding: { y: { field: 'line', type: 'nominal', title: 'fee' } },
    layer: [
      { mark: 'rule', encoding: { x: { field: 'lower', type: 'quantitative', title: axis }, x2: { field: 'upper' } } },
      { mark: { type: 'point', filled: true }, encoding: { x: { field: 'difference', type: 'quantitative' }, tooltip: [{ field: 'line', type: 'nominal' }, { field: 'difference', type: 'quantitative', format: '.1f' }, { field: 'n', type: 'quantitative' }] } },
      { mark: { type: 'rule', strokeDash: [4, 4] }, encoding: { x: { datum: 0 } } },
    ],
  };
}
