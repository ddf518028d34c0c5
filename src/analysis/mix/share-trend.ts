import { chiSquareSf, normalCdf, normalCritical, tCritical, tTwoSidedPValue } from '../../stats/index.js';
import type { Interval } from '../result.js';

/** One cohort: its position on the calendar (0, 1, 2, ... periods from the first) and how many of its customers match. */
export interface CohortCount {
  index: number;
  matching: number;
  customers: number;
}

/** A straight line through the cohorts' shares, and the test that its slope is zero. */
export interface ShareTrend {
  /** Change of the share per period (weighted least squares, each cohort weighted by its customers). */
  slope: number;
  /** Interval of the slope: binomial variance at the fitted shares, times the dispersion (then t on k − 2 df, else normal). */
  interval: Interval;
  /** Cochran-Armitage statistic divided by the square root of the dispersion. */
  statistic: number;
  /** Two-sided: normal at dispersion 1, else t on k − 2 df. */
  pValue: number;
  /**
   * Spread of the cohorts around the line beyond binomial chance: the
   * departure-from-trend χ² over its df, at least 1. Above 1, cohorts vary
   * more than sampling explains, and the test and interval widen by it.
   */
  dispersion: number;
  /** Armitage's partition: the χ² of the cohorts around the line, on k − 2 df. */
  departure: { statistic: number; df: number; pValue: number };
  cohorts: number;
  customers: number;
}

/**
 * The trend of a share over ordered cohorts: the weighted least-squares
 * slope of the cohort shares on the cohort index (weights: customers, which
 * is ordinary least squares on the customers' 0/1 outcomes), tested by the
 * Cochran-Armitage test for trend (Cochran 1954, Biometrics 10:417; Armitage
 * 1955, Biometrics 11:375): z = b / √(p̄(1 − p̄)/S_tt), with S_tt =
 * Σ n_c (t_c − t̄)². Customers of one cohort share its acquisition
 * conditions, so cohorts can vary around the line more than binomial chance
 * allows; the departure-from-trend χ² (Armitage's partition of the total χ²)
 * over its k − 2 df estimates that dispersion φ, by which the variance is
 * multiplied when it exceeds 1, the reference then being t on k − 2 df (the
 * quasi-likelihood correction of Williams 1982 and McCullagh & Nelder 1989,
 * §4.5): without it, a few unusual cohorts would pass for a trend. At φ ≤ 1
 * the binomial variance stands (customers vary at least that much) and the
 * reference is the normal. The interval uses the binomial variance at the
 * fitted shares (the slope's variance under the line, not under the null),
 * times φ. Null with fewer than three cohorts, or a share of 0 or 1
 * everywhere.
 *
 * @example shareTrend([{ index: 0, matching: 20, customers: 50 }, { index: 1, matching: 15, customers: 50 }, { index: 2, matching: 10, customers: 50 }])
 */
export function shareTrend(counts: readonly CohortCount[], level = 0.95): ShareTrend | null {
  const cohorts = counts.filter((c) => c.customers > 0);
  const k = cohorts.length;
  if (k < 3) return null;
  const n = cohorts.reduce((s, c) => s + c.customers, 0);
  const matching = cohorts.reduce((s, c) => s + c.matching, 0);
  const pooled = matching / n;
  if (!(pooled > 0 && pooled < 1)) return null;
  const meanIndex = cohorts.reduce((s, c) => s + c.customers * c.index, 0) / n;
  const stt = cohorts.reduce((s, c) => s + c.customers * (c.index - meanIndex) ** 2, 0);
  if (!(stt > 0)) return null;
  const slope = cohorts.reduce((s, c) => s + (c.index - meanIndex) * c.matching, 0) / stt;
  const fitted = (index: number): number => pooled + slope * (index - meanIndex);
  const df = k - 2;
  const pooledVariance = pooled * (1 - pooled);
  const departureStatistic = cohorts.reduce((s, c) => s + c.customers * (c.matching / c.customers - fitted(c.index)) ** 2, 0) / pooledVariance;
  const dispersion = Math.max(1, departureStatistic / df);
  const statistic = slope / Math.sqrt((dispersion * pooledVariance) / stt);
  // The binomial variance at the fitted share, kept inside (0, 1/4] where the line leaves [0, 1].
  const at = (index: number): number => {
    const p = Math.min(1, Math.max(0, fitted(index)));
    return Math.max(p * (1 - p), 1 / (4 * n));
  };
  const variance = (dispersion * cohorts.reduce((s, c) => s + c.customers * (c.index - meanIndex) ** 2 * at(c.index), 0)) / (stt * stt);
  // Binomial variance is known: normal. Estimated from the cohorts' spread: t on the k − 2 df it rests on.
  const estimated = dispersion > 1;
  const half = (estimated ? tCritical(level, df) : normalCritical(level)) * Math.sqrt(variance);
  return {
    slope,
    interval: { lower: slope - half, upper: slope + half, level },
    statistic,
    pValue: estimated ? tTwoSidedPValue(statistic, df) : 2 * normalCdf(-Math.abs(statistic)),
    dispersion,
    departure: { statistic: departureStatistic, df, pValue: chiSquareSf(departureStatistic, df) },
    cohorts: k,
    customers: n,
  };
}
