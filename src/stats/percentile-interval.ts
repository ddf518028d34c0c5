import { assertInput, assertLevel } from './invalid-input.js';
import type { Interval } from './types.js';

/** The p-quantile of sorted values by linear interpolation (Hyndman & Fan 1996 type 7; numpy's default). */
export function quantileSorted(sorted: readonly number[], p: number): number {
  assertInput(sorted.length > 0, 'A quantile of no values is undefined.');
  const h = (sorted.length - 1) * p;
  const low = Math.floor(h);
  const lowValue = sorted[low] ?? Number.NaN;
  const highValue = sorted[Math.min(low + 1, sorted.length - 1)] ?? lowValue;
  return lowValue + (h - low) * (highValue - lowValue);
}

/**
 * Bootstrap percentile interval (Efron & Tibshirani 1993, An Introduction to
 * the Bootstrap, §13.3): the (1 − level)/2 and (1 + level)/2 quantiles of the
 * replicate estimates.
 */
export function percentileInterval(replicates: readonly number[], level = 0.95): Interval {
  assertLevel(level);
  assertInput(replicates.every(Number.isFinite), 'Bootstrap replicates must all be finite numbers.');
  const sorted = [...replicates].sort((a, b) => a - b);
  return { lower: quantileSorted(sorted, (1 - level) / 2), upper: quantileSorted(sorted, (1 + level) / 2), level };
}
