import { normalCritical } from './critical-value.js';
import { assertCount, assertInput } from './invalid-input.js';
import type { IntervalEstimate, Proportion } from './types.js';

/**
 * A proportion with its Wilson score interval (Wilson 1927, JASA 22:209;
 * recommended over the Wald interval by Brown, Cai & DasGupta 2001, Statist.
 * Sci. 16:101): centre (p̂ + z²/2n)/(1 + z²/n), half-width
 * z/(1 + z²/n)·√(p̂(1 − p̂)/n + z²/4n²). It stays inside [0, 1] and behaves at
 * 0 or n successes. `standardError` is the plug-in √(p̂(1 − p̂)/n).
 *
 * @example wilsonInterval({ count: 7, n: 20 }) // estimate 0.35, interval ≈ [0.181, 0.567]
 */
export function wilsonInterval(proportion: Proportion, level = 0.95): IntervalEstimate {
  const { count, n } = proportion;
  assertCount(count, 'count');
  assertCount(n, 'n');
  assertInput(n > 0 && count <= n, `A proportion needs 0 ≤ count ≤ n and n > 0; got ${count} of ${n}.`);
  const z = normalCritical(level);
  const p = count / n;
  const z2n = (z * z) / n;
  const centre = (p + z2n / 2) / (1 + z2n);
  const half = (z / (1 + z2n)) * Math.sqrt((p * (1 - p)) / n + z2n / (4 * n));
  // At 0 or n successes the bound is exactly 0 or 1; rounding must not leave it a hair off.
  const lower = count === 0 ? 0 : Math.max(0, centre - half);
  const upper = count === n ? 1 : Math.min(1, centre + half);
  return { estimate: p, standardError: Math.sqrt((p * (1 - p)) / n), interval: { lower, upper, level }, n };
}
