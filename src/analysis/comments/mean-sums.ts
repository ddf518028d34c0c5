import { meanInterval, type IntervalEstimate, type MeanSummary } from '../../stats/index.js';

/** Running sums of a mean: count, sum and sum of squares. */
export interface MeanSums {
  n: number;
  sum: number;
  squares: number;
}

export const emptySums = (): MeanSums => ({ n: 0, sum: 0, squares: 0 });

export function addTo(sums: MeanSums, x: number): void {
  sums.n += 1;
  sums.sum += x;
  sums.squares += x * x;
}

/** Count, mean and sample standard deviation (n − 1) of at least 2 values. */
export function meanSummary(sums: MeanSums): MeanSummary {
  const mean = sums.sum / sums.n;
  return { n: sums.n, mean, sd: Math.sqrt(Math.max(0, (sums.squares - sums.n * mean * mean) / (sums.n - 1))) };
}

/** The mean with its t interval, or null under 2 values. */
export function meanOf(sums: MeanSums, level: number): IntervalEstimate | null {
  return sums.n < 2 ? null : meanInterval(meanSummary(sums), level);
}
