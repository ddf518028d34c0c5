import { proportionDifference, welchDifference, type DifferenceEstimate, type Interval, type MeanSummary, type Proportion } from '../stats/index.js';

/** A difference between two groups in standard-deviation units, with the raw difference it came from. */
export interface StandardisedDifference {
  /** (a − b) / pooled standard deviation. */
  estimate: number;
  interval: Interval;
  /** The test of the raw difference (Welch t, or the pooled two-proportion z). */
  pValue: number;
  raw: DifferenceEstimate;
  /** √((s_a² + s_b²) / 2): the scale the difference is expressed in. */
  pooledSd: number;
}

function scaled(raw: DifferenceEstimate, pooledSd: number): StandardisedDifference {
  return {
    estimate: raw.estimate / pooledSd,
    interval: { lower: raw.interval.lower / pooledSd, upper: raw.interval.upper / pooledSd, level: raw.interval.level },
    pValue: raw.pValue,
    raw,
    pooledSd,
  };
}

/**
 * Standardised mean difference (a − b) / √((s_a² + s_b²)/2), the balance
 * measure of Austin (2009, Statist. Med. 28:3083). Its interval is Welch's
 * interval of the raw difference on the same scale (the pooled SD taken as
 * known, which is close for groups of a few dozen and more). Null when
 * either group has fewer than 2 observations or neither varies.
 */
export function standardisedMeanDifference(a: MeanSummary, b: MeanSummary, level = 0.95): StandardisedDifference | null {
  if (a.n < 2 || b.n < 2) return null;
  const pooledSd = Math.sqrt((a.sd * a.sd + b.sd * b.sd) / 2);
  if (!(pooledSd > 0)) return null;
  return scaled(welchDifference(a, b, level), pooledSd);
}

/**
 * Standardised difference of two proportions, (p_a − p_b) / √((p_a(1−p_a) + p_b(1−p_b))/2)
 * (Austin 2009), with Newcombe's interval of the raw difference on the same
 * scale. Null when a group is empty or the share is 0 or 1 in both.
 */
export function standardisedProportionDifference(a: Proportion, b: Proportion, level = 0.95): StandardisedDifference | null {
  if (a.n < 1 || b.n < 1) return null;
  const pa = a.count / a.n;
  const pb = b.count / b.n;
  const pooledSd = Math.sqrt((pa * (1 - pa) + pb * (1 - pb)) / 2);
  if (!(pooledSd > 0)) return null;
  return scaled(proportionDifference(a, b, level), pooledSd);
}

/** Mean and sample SD from count, sum and sum of squares (what one SQL pass returns). */
export function meanSummaryFromSums(n: number, sum: number, sumSquares: number): MeanSummary {
  const mean = n > 0 ? sum / n : 0;
  const variance = n > 1 ? Math.max(0, (sumSquares - n * mean * mean) / (n - 1)) : 0;
  return { n, mean, sd: Math.sqrt(variance) };
}
