import type { Interval } from '../result.js';

/** How an area or touchpoint compares with the overall. */
export type Status = 'weak' | 'average' | 'strong';

/**
 * The scorecard's rule: weak when the whole interval lies below the overall
 * minus the practical margin (its upper bound strictly below it), strong
 * when it lies above the overall plus the margin, else average. With the
 * margin at 0 and the overall taken as known, an area no different from the
 * rest is called weak in at most (1 − level)/2 of samples (2.5% at 95%),
 * strong likewise; a positive margin makes both rarer still.
 *
 * @example areaStatus({ lower: 50, upper: 54, level: 0.95 }, 68, 5) // 'weak' (54 < 63)
 */
export function areaStatus(interval: Interval, overall: number, margin: number): Status {
  if (interval.upper < overall - margin) return 'weak';
  if (interval.lower > overall + margin) return 'strong';
  return 'average';
}
