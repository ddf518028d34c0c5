import { screen } from '../../stats/index.js';
import type { Interval } from '../result.js';
import { DIFFERENCE_UNITS, PRACTICAL_RATIO, type PracticalThresholds } from '../thresholds.js';
import type { MeasureKind } from './change-measures.js';
import type { ContrastEstimate } from './did-math.js';

/** A pre-trend is flagged when its placebo difference-in-differences has p below this (one check per measure: erring toward a flag). */
export const PRE_TREND_ALPHA = 0.05;

const LOG_RATIO = 'log_ratio';

/** An effect as a reader sees it: its estimate and interval in a business unit. */
export interface Presented {
  estimate: number;
  interval: Interval;
  /** The Result unit: `points`, `percentage_points`, `ratio`, a currency. */
  unit: string;
  /**
   * The estimate's standard error in the same unit, except for a ratio
   * (churn), whose interval is symmetric on the log scale only: there it is
   * the standard error of the log ratio (`standardErrorScale` says which).
   */
  standardError: number;
  standardErrorScale: 'unit' | 'log';
}

/** The estimate on its reading scale: points, percentage points (shares × 100), a ratio (churn: exp of the log ratio), money. */
export function presented(kind: MeasureKind, e: ContrastEstimate, currency: string): Presented {
  switch (kind) {
    case 'adoption':
      return {
        estimate: 100 * e.estimate,
        interval: { lower: 100 * e.interval.lower, upper: 100 * e.interval.upper, level: e.interval.level },
        unit: DIFFERENCE_UNITS.percentagePoints,
        standardError: 100 * e.standardError,
        standardErrorScale: 'unit',
      };
    case 'churn':
      return {
        estimate: Math.exp(e.estimate),
        interval: { lower: Math.exp(e.interval.lower), upper: Math.exp(e.interval.upper), level: e.interval.level },
        unit: 'ratio',
        standardError: e.standardError,
        standardErrorScale: 'log',
      };
    case 'revenue':
      return { estimate: e.estimate, interval: e.interval, unit: currency, standardError: e.standardError, standardErrorScale: 'unit' };
    default:
      return { estimate: e.estimate, interval: e.interval, unit: DIFFERENCE_UNITS.points, standardError: e.standardError, standardErrorScale: 'unit' };
  }
}

/** One comparison screened with the others of its family. */
export interface Claim {
  pValue: number;
  qValue: number;
  passes: boolean;
}

/** One item of a family to screen: an effect in its screening unit. */
export interface ClaimItem {
  key: string;
  kind: MeasureKind;
  effect: ContrastEstimate;
  /** CSAT's effect over the spread of single answers (its scales vary, so points do not compare); null: screened in points. */
  standardised: number | null;
}

/**
 * Screens one family of effects together (one change's measures, or one
 * experiment's): Benjamini-Hochberg at the FDR, then each unit's practical
 * threshold: NPS in points, CSAT as a standardised difference, adoption in
 * percentage points, churn as a ratio of at least 1.1 either way (on the
 * log scale), net revenue per customer-month in the money threshold.
 */
export function screenClaims(items: readonly ClaimItem[], thresholds: PracticalThresholds): Map<string, Claim> {
  const rows = items.map((item) => {
    const e = item.effect;
    switch (item.kind) {
      case 'nps':
        return { key: item.key, estimate: e.estimate, unit: DIFFERENCE_UNITS.points, pValue: e.pValue };
      case 'csat':
        return item.standardised === null
          ? { key: item.key, estimate: e.estimate, unit: DIFFERENCE_UNITS.points, pValue: e.pValue }
          : { key: item.key, estimate: item.standardised, unit: DIFFERENCE_UNITS.standardisedDifference, pValue: e.pValue };
      case 'adoption':
        return { key: item.key, estimate: 100 * e.estimate, unit: DIFFERENCE_UNITS.percentagePoints, pValue: e.pValue };
      case 'churn':
        return { key: item.key, estimate: e.estimate, unit: LOG_RATIO, pValue: e.pValue };
      case 'revenue':
        return { key: item.key, estimate: e.estimate, unit: thresholds.currency, pValue: e.pValue };
    }
  });
  const screened = screen(rows, { alpha: thresholds.fdr, practicalThreshold: { ...thresholds.byUnit, [LOG_RATIO]: Math.log(PRACTICAL_RATIO) } });
  return new Map(screened.map((s) => [s.key, { pValue: s.pValue, qValue: s.qValue, passes: s.passes }]));
}

/** Whether an effect is for the worse: less satisfaction, adoption or money, or more churn. */
export function harmful(kind: MeasureKind, e: ContrastEstimate): boolean {
  return kind === 'churn' ? e.estimate > 0 : e.estimate < 0;
}
