import { normalCdf } from './distributions/normal.js';
import type { DifferenceEstimate, Proportion } from './types.js';
import { wilsonInterval } from './wilson-interval.js';

/**
 * Difference of two independent proportions (a − b).
 *
 * Interval: Newcombe's hybrid score interval (Newcombe 1998, Statist. Med.
 * 17:873, method 10), built from each group's Wilson interval:
 * L = δ − √((p̂₁ − l₁)² + (u₂ − p̂₂)²), U = δ + √((u₁ − p̂₁)² + (p̂₂ − l₂)²).
 * Chosen over Wald because Wald's coverage collapses near 0 and 1 and with
 * small groups, which is exactly where segment scans live.
 * Test: the pooled two-proportion z test (statistic z, two-sided p), which is
 * what Newcombe's interval is consistent with to first order.
 * `standardError` is the unpooled Wald SE, for display and meta-analysis.
 */
export function proportionDifference(a: Proportion, b: Proportion, level = 0.95): DifferenceEstimate {
  const first = wilsonInterval(a, level);
  const second = wilsonInterval(b, level);
  const p1 = first.estimate;
  const p2 = second.estimate;
  const estimate = p1 - p2;
  const lower = estimate - Math.sqrt((p1 - first.interval.lower) ** 2 + (second.interval.upper - p2) ** 2);
  const upper = estimate + Math.sqrt((first.interval.upper - p1) ** 2 + (p2 - second.interval.lower) ** 2);
  const pooled = (a.count + b.count) / (a.n + b.n);
  const pooledSe = Math.sqrt(pooled * (1 - pooled) * (1 / a.n + 1 / b.n));
  const statistic = pooledSe > 0 ? estimate / pooledSe : 0;
  return {
    estimate,
    standardError: Math.sqrt((p1 * (1 - p1)) / a.n + (p2 * (1 - p2)) / b.n),
    interval: { lower, upper, level },
    statistic,
    pValue: pooledSe > 0 ? 2 * normalCdf(-Math.abs(statistic)) : 1,
    n: [a.n, b.n],
  };
}
