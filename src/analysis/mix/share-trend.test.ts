import { describe, expect, it } from 'vitest';
import { normalCdf } from '../../stats/index.js';
import { shareTrend, type CohortCount } from './share-trend.js';

// Reference: Agresti, Categorical Data Analysis (3rd ed., 2013), table 3.8:
// infant malformation by the mother's alcohol consumption (scores 0, 0.5,
// 1.5, 4, 7 drinks a day). Reference values from scipy 1.10.1 and
// statsmodels 0.13.5 (Debian), computed with:
//   Table(np.column_stack([absent, present])).test_ordinal_association(row_scores=scores)
//     -> zscore 2.5631879068828503 (the Mantel statistic, (N − 1)·r²; Cochran-Armitage's uses N)
//   sm.WLS(present / n, sm.add_constant(scores), weights=n).fit().params[1] -> 0.00167119...
//   chi2_contingency(table, correction=False)[0] -> 12.08205480925854 (the total χ² that
//     Armitage's partition splits into trend and departure from it)
//   dispersion, statistic, p (t on 3 df) and the interval by the formulas of
//   share-trend.ts in numpy: 1.8373069548509955, 1.8910205668705906,
//   0.15499827148802453, [-0.0029165414061699483, 0.00625892888682749].
const PRESENT = [48, 38, 5, 1, 1];
const ABSENT = [17066, 14464, 788, 126, 37];
const SCORES = [0, 0.5, 1.5, 4, 7];
const AGRESTI: CohortCount[] = SCORES.map((index, i) => ({ index, matching: PRESENT[i] ?? 0, customers: (PRESENT[i] ?? 0) + (ABSENT[i] ?? 0) }));

describe('shareTrend: the Cochran-Armitage test with the departure from the line as dispersion', () => {
  it("matches the WLS slope, the linear-by-linear statistic and Armitage's partition of the χ² on Agresti's malformation data", () => {
    const t = shareTrend(AGRESTI);
    if (t === null) throw new Error('no trend');
    const n = AGRESTI.reduce((s, c) => s + c.customers, 0);
    expect(t.slope).toBeCloseTo(0.001671193740328771, 15);
    // The departure from the line and the trend add up to the table's Pearson χ².
    const dispersion = t.departure.statistic / t.departure.df;
    expect(t.departure.df).toBe(3);
    expect(t.dispersion).toBeCloseTo(1.8373069548509955, 12);
    const undispersed = t.statistic * Math.sqrt(t.dispersion);
    expect(undispersed).toBeCloseTo(2.5631879068828503 * Math.sqrt(n / (n - 1)), 10);
    expect(undispersed ** 2 + t.departure.statistic).toBeCloseTo(12.08205480925854, 9);
    expect(dispersion).toBeCloseTo(t.dispersion, 12);
    expect(t.statistic).toBeCloseTo(1.8910205668705906, 12);
    expect(t.pValue).toBeCloseTo(0.15499827148802453, 10);
    expect(t.interval.lower).toBeCloseTo(-0.0029165414061699483, 12);
    expect(t.interval.upper).toBeCloseTo(0.00625892888682749, 12);
    expect(t.departure.pValue).toBeCloseTo(0.13792735370013037, 10);
    expect([t.cohorts, t.customers]).toEqual([5, n]);
  });

  it('on shares exactly on a line: no departure, dispersion 1, the plain Cochran-Armitage statistic', () => {
    // 40%, 38%, ..., 18% of 50 customers: 20, 19, ..., 9.
    const counts = Array.from({ length: 12 }, (_, q) => ({ index: q, matching: 20 - q, customers: 50 }));
    const t = shareTrend(counts);
    if (t === null) throw new Error('no trend');
    expect(t.slope).toBeCloseTo(-0.02, 14);
    expect(t.departure.statistic).toBeCloseTo(0, 12);
    expect(t.dispersion).toBe(1);
    // z = b / √(p̄(1 − p̄)/S_tt) with p̄ = 174/600 and S_tt = 50·Σ(q − 5.5)² = 7,150.
    const pooled = 174 / 600;
    expect(t.statistic).toBeCloseTo(-0.02 / Math.sqrt((pooled * (1 - pooled)) / 7150), 12);
    // Binomial variance known: the normal reference.
    expect(t.pValue).toBeCloseTo(2 * normalCdf(t.statistic), 14);
    expect(t.pValue).toBeLessThan(0.001);
    expect(t.interval.upper).toBeLessThan(0);
  });

  it('places cohorts by their calendar index, gaps included, and leaves out empty ones', () => {
    const withGap = [
      { index: 0, matching: 10, customers: 100 },
      { index: 1, matching: 12, customers: 100 },
      { index: 3, matching: 16, customers: 100 },
      { index: 2, matching: 0, customers: 0 },
    ];
    const t = shareTrend(withGap);
    expect(t?.slope).toBeCloseTo(0.02, 14);
    expect(t?.cohorts).toBe(3);
  });

  it('has no trend to give with fewer than three cohorts, or a share of 0 or 1 throughout', () => {
    expect(shareTrend(AGRESTI.slice(0, 2))).toBeNull();
    expect(shareTrend(AGRESTI.map((c) => ({ ...c, matching: 0 })))).toBeNull();
    expect(shareTrend(AGRESTI.map((c) => ({ ...c, matching: c.customers })))).toBeNull();
  });
});
