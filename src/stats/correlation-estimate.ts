import { normalCritical } from './critical-value.js';
import { tTwoSidedPValue } from './distributions/student-t.js';
import { assertInput } from './invalid-input.js';
import type { Interval } from './types.js';

/** A correlation with its interval, built on Fisher's z = atanh(r). */
export interface CorrelationEstimate {
  estimate: number;
  interval: Interval;
  n: number;
  /** Two-sided p-value for "no correlation". */
  pValue: number;
  /** Standard error of atanh(r), the scale the interval is built on. */
  fisherZStandardError: number;
}

/** Which standard error of atanh(r) to use. */
export type CorrelationIntervalMethod = 'fisher' | 'bonett-wright';

/**
 * Interval for a correlation on Fisher's z scale, back-transformed with tanh
 * (Fisher 1921, Metron 1:3). SE of atanh(r): 1/√(n − 3) for Pearson, phi and
 * point-biserial; √((1 + r²/2)/(n − 3)) for Spearman (Bonett & Wright 2000,
 * Psychometrika 65:23).
 */
export function correlationInterval(r: number, n: number, level = 0.95, method: CorrelationIntervalMethod = 'fisher'): { interval: Interval; standardError: number } {
  assertInput(Number.isInteger(n) && n > 3, `A correlation interval needs n > 3; got ${n}.`);
  assertInput(r >= -1 && r <= 1, `A correlation lies in [−1, 1]; got ${r}.`);
  const standardError = method === 'fisher' ? 1 / Math.sqrt(n - 3) : Math.sqrt((1 + (r * r) / 2) / (n - 3));
  if (Math.abs(r) === 1) return { interval: { lower: r, upper: r, level }, standardError };
  const z = Math.atanh(r);
  const half = normalCritical(level) * standardError;
  return { interval: { lower: Math.tanh(z - half), upper: Math.tanh(z + half), level }, standardError };
}

/** p-value of r under "no correlation": t = r·√((n − 2)/(1 − r²)) on n − 2 df (as scipy's pearsonr and spearmanr). */
export function correlationPValue(r: number, n: number): number {
  if (Math.abs(r) >= 1) return 0;
  return tTwoSidedPValue(r * Math.sqrt((n - 2) / (1 - r * r)), n - 2);
}

/**
 * A Pearson-type correlation (Pearson, phi, point-biserial: all the same r) from r and n,
 * as SQL's corr() and count() return them.
 *
 * @example correlationEstimate(0.31, 120) // interval ≈ [0.14, 0.46], p ≈ 0.0006
 */
export function correlationEstimate(r: number, n: number, level = 0.95): CorrelationEstimate {
  const { interval, standardError } = correlationInterval(r, n, level, 'fisher');
  return { estimate: r, interval, n, pValue: correlationPValue(r, n), fisherZStandardError: standardError };
}
