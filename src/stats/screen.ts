import { benjaminiHochberg } from './benjamini-hochberg.js';
import { assertInput, assertLevel } from './invalid-input.js';

/** A finding that claims a difference: its estimate in a business unit, and its test. */
export interface ScreenableFinding {
  /** Difference in its own unit (money, points, percentage points). */
  estimate: number;
  /** The unit the estimate and its threshold are in, e.g. 'EUR', 'nps_points', 'pct_points'. */
  unit: string;
  pValue: number;
}

export interface ScreenOptions {
  /** False discovery rate to control across the findings screened together. */
  alpha: number;
  /** Smallest difference worth reporting, per unit: { EUR: 10, nps_points: 5 }. */
  practicalThreshold: Readonly<Record<string, number>>;
}

export type ScreenedFinding<F extends ScreenableFinding> = F & {
  qValue: number;
  passesFdr: boolean;
  passesPractical: boolean;
  /** Both: statistically credible after scanning, and large enough to matter. */
  passes: boolean;
};

/**
 * Screens a family of findings (all segments, all behaviours of one scan): a
 * finding passes when its Benjamini–Hochberg q-value is ≤ alpha AND the size of
 * its estimate reaches the practical threshold of its unit. The second test
 * keeps large samples from promoting trivial differences (DESIGN.md: effect
 * sizes in business units, not only p-values).
 *
 * @example
 * screen(findings, { alpha: 0.05, practicalThreshold: { EUR: 10, pct_points: 2 } })
 */
export function screen<F extends ScreenableFinding>(findings: readonly F[], options: ScreenOptions): ScreenedFinding<F>[] {
  assertLevel(options.alpha);
  for (const finding of findings) {
    const threshold = options.practicalThreshold[finding.unit];
    assertInput(
      threshold !== undefined && Number.isFinite(threshold) && threshold >= 0,
      `No practical threshold for unit '${finding.unit}'; pass one in practicalThreshold.`,
    );
  }
  const q = benjaminiHochberg(findings.map((f) => f.pValue));
  return findings.map((finding, i) => {
    const qValue = q[i] ?? 1;
    const passesFdr = qValue <= options.alpha;
    const passesPractical = Math.abs(finding.estimate) >= (options.practicalThreshold[finding.unit] ?? Number.POSITIVE_INFINITY);
    return { ...finding, qValue, passesFdr, passesPractical, passes: passesFdr && passesPractical };
  });
}
