import { type CorrelationEstimate, correlationEstimate } from './correlation-estimate.js';
import { assertInput } from './invalid-input.js';
import type { MeanSummary } from './types.js';

/**
 * Point-biserial correlation between a yes/no trait and a measure, from each
 * group's count, mean and sample SD (mergeable SQL aggregates):
 * r = (M₁ − M₀)/s · √(pq), s the population SD of all values (Tate 1954,
 * Ann. Math. Statist. 25:603). It equals Pearson's r with the trait coded 1/0,
 * so it gets the Fisher interval and the t-test p-value (= pooled two-sample t).
 */
export function pointBiserial(withTrait: MeanSummary, withoutTrait: MeanSummary, level = 0.95): CorrelationEstimate {
  const n1 = withTrait.n;
  const n0 = withoutTrait.n;
  assertInput(n1 >= 1 && n0 >= 1, 'Point-biserial correlation needs both groups non-empty.');
  const n = n1 + n0;
  const mean = (n1 * withTrait.mean + n0 * withoutTrait.mean) / n;
  const sumSquares =
    (n1 - 1) * withTrait.sd ** 2 + (n0 - 1) * withoutTrait.sd ** 2 + n1 * (withTrait.mean - mean) ** 2 + n0 * (withoutTrait.mean - mean) ** 2;
  assertInput(sumSquares > 0, 'Point-biserial correlation is undefined when the measure is constant.');
  const r = ((withTrait.mean - withoutTrait.mean) / Math.sqrt(sumSquares / n)) * Math.sqrt((n1 / n) * (n0 / n));
  return correlationEstimate(Math.max(-1, Math.min(1, r)), n, level);
}
