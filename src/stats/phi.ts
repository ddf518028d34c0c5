import { type CorrelationEstimate, correlationInterval } from './correlation-estimate.js';
import { chiSquareSf } from './distributions/chi-square.js';
import { assertCount, assertInput } from './invalid-input.js';

/**
 * A 2×2 table of two yes/no traits: `bothYes` = A and B, `onlyFirst` = A not B,
 * `onlySecond` = B not A, `neither`.
 */
export interface TwoByTwo {
  bothYes: number;
  onlyFirst: number;
  onlySecond: number;
  neither: number;
}

/**
 * The phi coefficient φ = (ad − bc)/√((a+b)(c+d)(a+c)(b+d)) — Pearson's r of
 * two 0/1 variables — with a Fisher z interval. Its p-value is the χ² test of
 * independence without continuity correction (nφ² ~ χ²₁), the test phi is
 * usually reported with.
 */
export function phiCoefficient(table: TwoByTwo, level = 0.95): CorrelationEstimate {
  const { bothYes: a, onlyFirst: b, onlySecond: c, neither: d } = table;
  for (const [name, value] of Object.entries(table)) assertCount(value, name);
  const n = a + b + c + d;
  const denominator = Math.sqrt((a + b) * (c + d) * (a + c) * (b + d));
  assertInput(denominator > 0, 'Phi is undefined when a row or column of the 2×2 table is empty.');
  const phi = Math.max(-1, Math.min(1, (a * d - b * c) / denominator));
  const { interval, standardError } = correlationInterval(phi, n, level, 'fisher');
  return { estimate: phi, interval, n, pValue: chiSquareSf(n * phi * phi, 1), fisherZStandardError: standardError };
}
