/** A two-sided confidence interval at `level` (e.g. 0.95). */
export interface Interval {
  lower: number;
  upper: number;
  level: number;
}

/** An estimate with the uncertainty every shown number must carry (DESIGN.md: no estimate without n and interval). */
export interface IntervalEstimate {
  estimate: number;
  standardError: number;
  interval: Interval;
  n: number;
}

/** A group's mean, sample standard deviation (n - 1 denominator) and size: what SQL's avg/stddev_samp/count return. */
export interface MeanSummary {
  n: number;
  mean: number;
  sd: number;
}

/** A count of successes out of n trials: what SQL's count_if / count return. */
export interface Proportion {
  count: number;
  n: number;
}

/** A difference between two groups (first minus second) with its test. */
export interface DifferenceEstimate {
  estimate: number;
  standardError: number;
  interval: Interval;
  /** Test statistic (z or t, as the function documents). */
  statistic: number;
  pValue: number;
  /** Sizes of the two groups. */
  n: [number, number];
}
