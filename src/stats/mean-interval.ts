import { tCritical } from './critical-value.js';
import { assertInput } from './invalid-input.js';
import type { IntervalEstimate, MeanSummary } from './types.js';

/**
 * A mean with its Student t interval: x̄ ± t_{1−α/2, n−1}·s/√n (Student 1908).
 * Takes the SQL aggregates (count, avg, stddev_samp) rather than the rows.
 *
 * @example meanInterval({ n: 12, mean: 4.2, sd: 1.1 }) // interval 4.2 ± 2.201·1.1/√12
 */
export function meanInterval(summary: MeanSummary, level = 0.95): IntervalEstimate {
  const { n, mean, sd } = summary;
  assertInput(Number.isInteger(n) && n >= 2, `A t interval needs at least 2 observations; got n = ${n}.`);
  assertInput(Number.isFinite(mean) && Number.isFinite(sd) && sd >= 0, `Mean and standard deviation must be finite, sd ≥ 0; got ${mean}, ${sd}.`);
  const standardError = sd / Math.sqrt(n);
  const half = tCritical(level, n - 1) * standardError;
  return { estimate: mean, standardError, interval: { lower: mean - half, upper: mean + half, level }, n };
}
