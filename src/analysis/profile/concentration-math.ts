import { normalCritical, type IntervalEstimate } from '../../stats/index.js';

/**
 * Small-data math for value concentration, on aggregates SQL computed: the
 * share of value held by the top customers and the Gini coefficient, each
 * with an influence-function (delta-method) standard error.
 */

/** Aggregates for the share held by the top `k` of `n` customers, around the threshold t = x_(n−k). */
export interface TopShareAggregates {
  n: number;
  k: number;
  total: number;
  sumSquares: number;
  /** The (n − k)-th smallest value. */
  threshold: number;
  /** Customers with x < t, and the sum of their x. */
  belowCount: number;
  belowSum: number;
  /** u = (x − t)·1(x ≤ t): Σu, Σu², Σu·x. */
  uSum: number;
  uSumSquares: number;
  uSumX: number;
}

function clampShare(estimate: number, se: number, level: number): IntervalEstimate['interval'] {
  const z = normalCritical(level);
  return { lower: Math.max(0, estimate - z * se), upper: Math.min(1, estimate + z * se), level };
}

/**
 * Share of the total held by the top k customers: (T − C(n − k)) / T, where
 * the bottom m customers hold C(m) = Σ_{x<t} x + (m − #{x<t})·t exactly, ties
 * included, with t = x_(m). Standard error from the influence function of a
 * Lorenz ordinate L = A/μ, A = E[X·1(X ≤ Q)]: IF = ((x − Q)·1(x ≤ Q) − L·x + p·Q)/μ
 * (the quantile's own influence folds into the first term; Beach & Davidson
 * 1983, Rev. Econ. Stud. 50:723), so Var = Var(u − L·x)/(n·μ²).
 */
export function topShare(a: TopShareAggregates, level = 0.95): IntervalEstimate {
  const m = a.n - a.k;
  const bottom = a.belowSum + (m - a.belowCount) * a.threshold;
  const lorenz = bottom / a.total;
  const estimate = 1 - lorenz;
  const mu = a.total / a.n;
  const eu = a.uSum / a.n;
  const varU = a.uSumSquares / a.n - eu * eu;
  const varX = a.sumSquares / a.n - mu * mu;
  const covUX = a.uSumX / a.n - eu * mu;
  const variance = Math.max(0, varU + lorenz * lorenz * varX - 2 * lorenz * covUX) / (mu * mu) / a.n;
  const standardError = Math.sqrt(variance);
  return { estimate, standardError, interval: clampShare(estimate, standardError, level), n: a.n };
}

/**
 * Sums over customers sorted by x (rank i from 1, running sum before i = a),
 * for the exact Gini and its variance. `sumXI` = Σ x·i, and so on.
 */
export interface RankedSums {
  n: number;
  total: number;
  sumSquares: number;
  sumA: number;
  sumAA: number;
  sumXI: number;
  sumXIXI: number;
  sumXA: number;
  sumXXI: number;
  sumAXI: number;
}

/**
 * Gini coefficient G = 2·Σ i·x_(i) / (n·Σx) − (n + 1)/n (the sample Gini on
 * sorted values; ties do not change Σ i·x). Variance from the influence
 * function IF(x) = (1 − G) − (G + 1)·x/μ − 2·I(x)/μ + 2·x·F(x)/μ, with F the
 * distribution function and I(x) = E[X·1(X < x)] (derived as in Davidson
 * 2009, J. Econometrics 150:30); F(x_(i)) = i/n, I(x_(i)) = a_i/n.
 */
export function exactGini(s: RankedSums, level = 0.95): IntervalEstimate {
  const { n } = s;
  const mu = s.total / n;
  const g = (2 * s.sumXI) / (n * s.total) - (n + 1) / n;
  const c0 = 1 - g;
  const c1 = -(g + 1) / mu;
  const c2 = -2 / mu / n;
  const c3 = 2 / mu / n;
  // IF_i = c0 + c1·x + c2·a + c3·x·i; E[IF²] from the sums of products.
  const sumIf = n * c0 + c1 * s.total + c2 * s.sumA + c3 * s.sumXI;
  const sumIf2 =
    n * c0 * c0 +
    c1 * c1 * s.sumSquares +
    c2 * c2 * s.sumAA +
    c3 * c3 * s.sumXIXI +
    2 * c0 * (c1 * s.total + c2 * s.sumA + c3 * s.sumXI) +
    2 * c1 * c2 * s.sumXA +
    2 * c1 * c3 * s.sumXXI +
    2 * c2 * c3 * s.sumAXI;
  const meanIf = sumIf / n;
  const variance = Math.max(0, sumIf2 / n - meanIf * meanIf) / n;
  const standardError = Math.sqrt(variance);
  const z = normalCritical(level);
  return { estimate: g, standardError, interval: { lower: g - z * standardError, upper: g + z * standardError, level }, n };
}
