import { words } from '../wording.js';
import type { MeasureKind } from './change-measures.js';
import type { ContrastEstimate } from './did-math.js';
import { PRE_TREND_ALPHA, presented, type Presented } from './effect-claims.js';
import type { MeasureEffect } from './measure-effect.js';
import type { MeasuredChange } from './measure-change.js';

const signed = (x: number, digits = 1): string => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(digits)}`;

/** A p-value as a sentence writes it: `p = 0.41`, `p = 0.004`, `p < 0.001`. */
export function pWords(p: number): string {
  if (p < 0.001) return 'p < 0.001';
  return `p = ${p < 0.01 ? p.toFixed(3) : p.toFixed(2)}`;
}

/** One value of an effect in its unit: `+3.2 points`, `+1.4 percentage points`, `×0.85`, `+$1.20`. */
export function valueWords(kind: MeasureKind, x: number, currency: string): string {
  switch (kind) {
    case 'adoption':
      return `${signed(x)} percentage points`;
    case 'churn':
      return `×${x.toFixed(2)}`;
    case 'revenue':
      return words.signedMoney(x, currency, 2);
    case 'csat':
      return `${signed(x, 2)} points`;
    default:
      return `${signed(x)} points`;
  }
}

/** An interval: `95% CI +1.1 to +5.3`, `95% CI ×0.70 to ×1.03`. */
export function intervalWords(kind: MeasureKind, p: Presented, currency: string): string {
  const bound = (x: number): string => {
    if (kind === 'churn') return `×${x.toFixed(2)}`;
    if (kind === 'revenue') return words.signedMoney(x, currency, 2);
    return signed(x, kind === 'csat' ? 2 : 1);
  };
  return words.interval(p.interval, bound);
}

/** The measure as named in a sentence: `NPS`, `CSAT (on its own scale)`, `churn per customer-month`, `net revenue per customer-month`. */
export function measureWords(kind: MeasureKind, label: string): string {
  if (kind === 'churn') return 'churn per customer-month';
  if (kind === 'csat') return 'CSAT (on its own scale)';
  return label;
}

/** `North network upgrade (2025-10-01, region = 'North')`. */
export function changeHead(m: MeasuredChange): string {
  return `${m.change.name} (${m.change.date}, ${m.groups?.treatedWords ?? m.change.segment ?? 'all customers'})`;
}

/**
 * The pre-trend in words: `before-trends parallel, p = 0.41`, or not, or not
 * checked; without a comparison group, whether the measure was already
 * moving before the date.
 */
export function preTrendWords(preTrend: ContrastEstimate | null, withComparison = true): string {
  if (preTrend === null) return 'before-trends not checked: too few customers measured in a half of the before window';
  const moved = preTrend.pValue < PRE_TREND_ALPHA;
  if (!withComparison) return moved ? `already moving before the date, ${pWords(preTrend.pValue)}` : `steady before the date, ${pWords(preTrend.pValue)}`;
  return moved ? `before-trends NOT parallel, ${pWords(preTrend.pValue)}` : `before-trends parallel, ${pWords(preTrend.pValue)}`;
}

/**
 * The sentence of one measured effect: "North network upgrade (2025-10-01,
 * region = 'North'): NPS +3.2 points against the customers whose region is
 * not 'North' (95% CI +1.1 to +5.3; before-trends parallel, p = 0.41)."
 */
export function effectSentence(m: MeasuredChange, effect: MeasureEffect, currency: string): string {
  const e = effect.effect;
  if (e === null) return `${changeHead(m)}: ${measureWords(effect.measure.kind, effect.measure.label)} not measured: ${effect.reason ?? 'too few customers'}.`;
  const p = presented(effect.measure.kind, e, currency);
  const what = `${measureWords(effect.measure.kind, effect.measure.label)} ${valueWords(effect.measure.kind, p.estimate, currency)}`;
  const against = effect.comparison === null ? 'after against before (no comparison group: any trend of the whole base counts in it)' : `against ${m.groups?.comparisonWords ?? 'the rest of the customers'}`;
  return `${changeHead(m)}: ${what} ${against} (${intervalWords(effect.measure.kind, p, currency)}; ${preTrendWords(effect.preTrend, effect.comparison !== null)}).`;
}

/** A flagged pre-trend: what it means for the estimate. */
export function preTrendWarning(m: MeasuredChange, effect: MeasureEffect, currency: string): string {
  const pre = effect.preTrend;
  if (pre === null) return '';
  const p = presented(effect.measure.kind, pre, currency);
  if (effect.comparison === null) {
    return `${changeHead(m)}: before the change, ${measureWords(effect.measure.kind, effect.measure.label)} already moved ${valueWords(effect.measure.kind, p.estimate, currency)} from the first half of the before window to the second (${pWords(pre.pValue)}): with no comparison group, that drift counts in the estimate.`;
  }
  return (
    `${changeHead(m)}: before the change, ${measureWords(effect.measure.kind, effect.measure.label)} already moved ${valueWords(effect.measure.kind, p.estimate, currency)} ` +
    `in the segment against ${m.groups?.comparisonWords ?? 'the rest of the customers'} from the first half of the before window to the second (${pWords(pre.pValue)}): ` +
    'the groups did not trend in parallel, so the estimate may carry a trend the change did not cause.'
  );
}
