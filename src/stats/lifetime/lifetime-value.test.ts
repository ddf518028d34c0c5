import { describe, expect, it } from 'vitest';
import { fitBgNbd } from './bg-nbd.js';
import { bgNbdExpectedPurchases } from './bg-nbd-expectations.js';
import { readCdnowCustomers } from './cdnow-fixture.case.js';
import { compressFrequencyRows } from './frequency-rows.js';
import { fitGammaGamma, gammaGammaExpectedSpend } from './gamma-gamma.js';
import { customerLifetimeValue, discountedExpectedPurchases, WEEKS_PER_MONTH } from './lifetime-value.js';

describe('discounted lifetime value (non-contractual)', () => {
  it('for a constant purchase rate λ it is λk·E(M)·Σ (1+d)^−m', () => {
    const rate = 0.25;
    const horizon = { months: 24, monthlyDiscountRate: 0.01, periodsPerMonth: WEEKS_PER_MONTH };
    let annuity = 0;
    for (let m = 1; m <= 24; m += 1) annuity += Math.pow(1.01, -m);
    expect(customerLifetimeValue((t) => rate * t, 40, horizon)).toBeCloseTo(rate * WEEKS_PER_MONTH * 40 * annuity, 10);
  });

  it('without discounting it is E(M) · E[Y(M·k)]', () => {
    const cumulative = (t: number): number => 3 * (1 - Math.exp(-t / 20));
    expect(discountedExpectedPurchases(cumulative, { months: 6, monthlyDiscountRate: 0, periodsPerMonth: 4 })).toBeCloseTo(cumulative(24), 12);
  });

  it('rejects a fractional horizon or a negative discount rate', () => {
    expect(() => discountedExpectedPurchases((t) => t, { months: 1.5, monthlyDiscountRate: 0.01, periodsPerMonth: 4 })).toThrow(/whole number/);
    expect(() => discountedExpectedPurchases((t) => t, { months: 12, monthlyDiscountRate: -0.01, periodsPerMonth: 4 })).toThrow(/discount/);
  });

  it('ports lifetimes’ CLV for CDNOW IDs 1-10 (BG/NBD + Gamma-Gamma, 12 months, 1%, its freq="D" convention of 30 units per month) to 1e-4 relative', () => {
    // [LT-doc] quickstart; lifetimes' default freq="D" treats the week-based CDNOW data as if 30 of its units made a month.
    const customers = readCdnowCustomers();
    const bg = fitBgNbd(compressFrequencyRows(customers));
    const gg = fitGammaGamma(customers.filter((c) => c.x > 0).map((c) => ({ x: c.x, meanSpend: c.meanSpend, count: 1 })));
    const published = [140.096211, 18.943467, 38.180574, 38.180574, 38.180574, 1003.868107, 28.109683, 38.180574, 167.418216, 38.180574];
    customers.slice(0, 10).forEach((c, i) => {
      const value = customerLifetimeValue((t) => bgNbdExpectedPurchases(bg.params, t, c), gammaGammaExpectedSpend(gg.params, c), {
        months: 12,
        monthlyDiscountRate: 0.01,
        periodsPerMonth: 30,
      });
      expect(Math.abs(value - (published[i] ?? 0)) / (published[i] ?? 1)).toBeLessThan(1e-4);
    });
  });
});
