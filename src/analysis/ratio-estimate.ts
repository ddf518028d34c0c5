import { normalCdf, normalCritical, type DifferenceEstimate, type IntervalEstimate } from '../stats/index.js';

/**
 * Per-customer sums for a ratio of totals Σy / Σm (e.g. a channel's share of
 * all contacts), with customers as the independent units: n customers, and
 * the sums of y, m, y², m², y·m.
 */
export interface RatioSums {
  n: number;
  y: number;
  m: number;
  yy: number;
  mm: number;
  ym: number;
}

/**
 * A ratio of totals with its linearisation (delta-method) standard error,
 * SE = √(Σ(y − r·m)² / (n(n − 1))) / m̄ (Cochran 1977, Sampling Techniques,
 * §6.3): the right error for "share of contacts by phone" when one customer
 * makes many contacts. Null without contacts or with fewer than 2 customers.
 */
export function ratioEstimate(s: RatioSums, level = 0.95): IntervalEstimate | null {
  if (s.n < 2 || !(s.m > 0)) return null;
  const r = s.y / s.m;
  const residual = Math.max(0, s.yy - 2 * r * s.ym + r * r * s.mm);
  const standardError = Math.sqrt(residual / (s.n * (s.n - 1))) / (s.m / s.n);
  const z = normalCritical(level);
  return {
    estimate: r,
    standardError,
    interval: { lower: Math.max(0, r - z * standardError), upper: Math.min(1, r + z * standardError), level },
    n: s.n,
  };
}

/** Difference of two independent ratio estimates (a − b), normal approximation. */
export function ratioDifference(a: RatioSums, b: RatioSums, level = 0.95): DifferenceEstimate | null {
  const ra = ratioEstimate(a, level);
  const rb = ratioEstimate(b, level);
  if (ra === null || rb === null) return null;
  const estimate = ra.estimate - rb.estimate;
  const standardError = Math.sqrt(ra.standardError ** 2 + rb.standardError ** 2);
  const z = normalCritical(level);
  const statistic = standardError > 0 ? estimate / standardError : 0;
  return {
    estimate,
    standardError,
    interval: { lower: estimate - z * standardError, upper: estimate + z * standardError, level },
    statistic,
    pValue: standardError > 0 ? 2 * normalCdf(-Math.abs(statistic)) : 1,
    n: [a.n, b.n],
  };
}

export function subtractSums(total: RatioSums, part: RatioSums): RatioSums {
  return { n: total.n - part.n, y: total.y - part.y, m: total.m - part.m, yy: total.yy - part.yy, mm: total.mm - part.mm, ym: total.ym - part.ym };
}
