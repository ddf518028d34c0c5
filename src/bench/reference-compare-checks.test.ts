import { describe, expect, it } from 'vitest';
import { closePValues, sameValue } from './reference-compare-checks.js';

describe('p-values compared on the log scale', () => {
  it('lets a far-tail p differ by its statistic\'s rounding, never a tiny p pass as 0, and holds p near 1 to 1e-9', () => {
    // Seen at 1M customers: z ≈ 29.6 from sums that differ in the 11th digit.
    expect(closePValues(1.6871267127210724e-192, 1.6871267097679666e-192)).toBe(true);
    expect(sameValue(1.6871267127210724e-192, 1.6871267097679666e-192, 'p_value')).toBe(true);
    expect(closePValues(1e-192, 2e-192)).toBe(false);
    expect(closePValues(1e-300, 0)).toBe(false);
    expect(closePValues(0, 0)).toBe(true);
    expect(closePValues(0.5, 0.5 * (1 + 5e-10))).toBe(true);
    expect(closePValues(0.5, 0.5 * (1 + 5e-9))).toBe(false);
  });

  it('compares a fitted model\'s p-values on the log scale to the regression tolerance', () => {
    // Seen at 20k: the quarter-end intake ratio's p from statsmodels (IRLS weights one step behind) and from cxray's Newton solve.
    expect(sameValue(8.689204486346011e-78, 8.689268973511945e-78, 'fitted_p_value')).toBe(true);
    expect(sameValue(8.689204486346011e-78, 8.689268973511945e-78, 'p_value')).toBe(false);
    expect(sameValue(1e-78, 1.1e-78, 'fitted_p_value')).toBe(false);
    expect(sameValue(0.3, 0.3 * (1 + 5e-7), 'fitted_p_value')).toBe(true);
    expect(sameValue(0.3, 0.3 * (1 + 5e-6), 'fitted_p_value')).toBe(false);
    expect(sameValue(1e-300, 0, 'fitted_p_value')).toBe(false);
  });
});
