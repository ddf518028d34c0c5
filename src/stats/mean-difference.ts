import { tCritical } from './critical-value.js';
import { tTwoSidedPValue } from './distributions/student-t.js';
import { assertInput } from './invalid-input.js';
import type { DifferenceEstimate, MeanSummary } from './types.js';

/** A Welch difference also reports its Welch–Satterthwaite degrees of freedom. */
export interface WelchDifference extends DifferenceEstimate {
  df: number;
}

/**
 * Difference of two independent means (a − b) by Welch's t test (Welch 1947,
 * Biometrika 34:28), which does not assume equal variances: SE = √(s₁²/n₁ + s₂²/n₂),
 * df = SE⁴ / [(s₁²/n₁)²/(n₁−1) + (s₂²/n₂)²/(n₂−1)] (Satterthwaite 1946).
 */
export function welchDifference(a: MeanSummary, b: MeanSummary, level = 0.95): WelchDifference {
  assertInput(a.n >= 2 && b.n >= 2, `Welch's test needs at least 2 observations per group; got ${a.n} and ${b.n}.`);
  const va = (a.sd * a.sd) / a.n;
  const vb = (b.sd * b.sd) / b.n;
  const standardError = Math.sqrt(va + vb);
  assertInput(standardError > 0, 'Both groups have zero variance: the difference of means has no sampling error to test.');
  const df = (va + vb) ** 2 / ((va * va) / (a.n - 1) + (vb * vb) / (b.n - 1));
  const estimate = a.mean - b.mean;
  const statistic = estimate / standardError;
  const half = tCritical(level, df) * standardError;
  return {
    estimate,
    standardError,
    interval: { lower: estimate - half, upper: estimate + half, level },
    statistic,
    pValue: tTwoSidedPValue(statistic, df),
    df,
    n: [a.n, b.n],
  };
}
