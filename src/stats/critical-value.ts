import { normalQuantile } from './distributions/normal.js';
import { tQuantile } from './distributions/student-t.js';
import { assertLevel } from './invalid-input.js';

/** z such that P(|Z| ≤ z) = level. */
export function normalCritical(level: number): number {
  assertLevel(level);
  return normalQuantile(0.5 + level / 2);
}

/** t such that P(|T_df| ≤ t) = level. */
export function tCritical(level: number, df: number): number {
  assertLevel(level);
  return tQuantile(0.5 + level / 2, df);
}
