import { describe, expect, it } from 'vitest';
import { normalCritical, normalSf } from '../../stats/index.js';
import { SeededRandom } from '../../stats/seeded-random.case.js';
import { concentration, type ClassBase, type LineSums } from './concentration.js';
import { directConcentration, type KnownCustomer } from './direct-concentration.case.js';

/** The sums concentration() reads, from customers one by one. */
function sumsOf(customers: readonly KnownCustomer[]): { line: LineSums; base: ClassBase } {
  const sum = (f: (c: KnownCustomer) => number): number => customers.reduce((s, c) => s + f(c), 0);
  return {
    line: {
      payers: customers.filter((c) => c.y > 0).length,
      y: sum((c) => c.y),
      dy: sum((c) => c.d * c.y),
      yy: sum((c) => c.y * c.y),
      dyy: sum((c) => c.d * c.y * c.y),
      yw: sum((c) => c.y * c.w),
      dyw: sum((c) => c.d * c.y * c.w),
    },
    base: { customers: customers.length, w: sum((c) => c.w), dw: sum((c) => c.d * c.w), ww: sum((c) => c.w * c.w), dww: sum((c) => c.d * c.w * c.w) },
  };
}

function customers9(): KnownCustomer[] {
  return [...[20, 20, 20].map((y) => ({ d: 1 as const, y, w: 1 })), ...[10, 10, 0, 0, 0, 0].map((y) => ({ d: 0 as const, y, w: 1 }))];
}

function randomCustomers(seed: number, n: number, weighted: boolean): KnownCustomer[] {
  const rng = new SeededRandom(seed);
  return Array.from({ length: n }, () => {
    const d = rng.uniform() < 0.3 ? 1 : 0;
    // Most pay nothing in the line; payers pay a skewed amount, the dissatisfied more often.
    const pays = rng.uniform() < (d === 1 ? 0.5 : 0.3);
    const y = pays ? Math.round(100 * Math.exp(2 + rng.normal())) / 100 : 0;
    return { d, y, w: weighted ? 1 + Math.floor(rng.uniform() * 36) : 1 };
  });
}

describe('the concentration ratio and its Fieller interval', () => {
  it('gives the ratio, shares and excess of a case worked by hand', () => {
    // Ten times 3 dissatisfied of 9 customers, who pay 60 of a line's 80: (600/800) / (30/90) = 2.25, 600 − 800/3 above their share.
    const customers = Array.from({ length: 10 }, customers9).flat();
    const { line, base } = sumsOf(customers);
    const c = concentration(line, base);
    expect(c?.ratio).toBeCloseTo(2.25, 12);
    expect(c?.revenueShare).toBeCloseTo(0.75, 12);
    expect(c?.customerShare).toBeCloseTo(1 / 3, 12);
    expect(c?.excess.estimate).toBeCloseTo(600 - 800 / 3, 10);
    const direct = directConcentration(customers);
    expect(c?.interval.lower).toBeCloseTo(direct.lower, 10);
    expect(c?.interval.upper).toBeCloseTo(direct.upper, 10);
    // Fieller's interval holds the estimate, and the one-sided p-value is the excess's z-test.
    expect(c?.interval.lower).toBeLessThan(2.25);
    expect(c?.interval.upper).toBeGreaterThan(2.25);
    expect(c?.pValue).toBeCloseTo(normalSf(direct.excess / direct.excessStandardError), 12);
  });

  for (const weighted of [false, true]) {
    it(`matches the standard errors computed customer by customer, on random skewed data ${weighted ? 'with weights (customer-months)' : 'one weight per customer'}`, () => {
      for (const seed of [1, 2, 3, 4, 5]) {
        const customers = randomCustomers(seed, 300, weighted);
        const { line, base } = sumsOf(customers);
        const c = concentration(line, base);
        const direct = directConcentration(customers);
        expect(c?.ratio).toBeCloseTo(direct.ratio, 10);
        expect(Math.abs((c?.interval.lower ?? 0) / direct.lower - 1)).toBeLessThan(1e-8);
        expect(Math.abs((c?.interval.upper ?? 0) / direct.upper - 1)).toBeLessThan(1e-8);
        expect(c?.excess.estimate).toBeCloseTo(direct.excess, 8);
        const z = normalCritical(0.95);
        const half = ((c?.excess.interval.upper ?? 0) - (c?.excess.interval.lower ?? 0)) / 2;
        expect(Math.abs(half / (z * direct.excessStandardError) - 1)).toBeLessThan(1e-8);
      }
    });
  }

  it('inverts the test: the interval’s bounds are the ratios at which A − r·D is exactly z standard errors from zero', () => {
    const customers = randomCustomers(7, 400, false);
    const { line, base } = sumsOf(customers);
    const c = concentration(line, base);
    if (c === null) throw new Error('not estimable');
    // The dissatisfied pay more often here: the ratio is above 1 and its p-value small.
    expect(c.ratio).toBeGreaterThan(1);
    expect(c.pValue).toBeLessThan(0.05);
    // At each bound r, the statistic (A − r·D) / SE(A − r·D), customer by customer, is exactly ±z.
    const n = customers.length;
    const C = customers.reduce((s, x) => s + x.d * x.w, 0);
    const N = customers.reduce((s, x) => s + x.w, 0);
    const B = customers.reduce((s, x) => s + x.y, 0);
    const [p, b] = [C / N, B / N];
    const statistic = (r: number): number => {
      const u = customers.map((x) => x.d * x.y - r * (p * x.y + b * x.d * x.w - p * b * x.w));
      const mean = u.reduce((s, v) => s + v, 0) / n;
      const variance = (n / (n - 1)) * u.reduce((s, v) => s + (v - mean) ** 2, 0);
      return (mean * n) / Math.sqrt(variance);
    };
    expect(statistic(c.interval.lower)).toBeCloseTo(normalCritical(0.95), 8);
    expect(statistic(c.interval.upper)).toBeCloseTo(-normalCritical(0.95), 8);
    expect(c.pValue).toBeCloseTo(normalSf(statistic(1)), 12);
  });

  it('is not estimable when the revenue at the fair share is itself not clear of zero: Fieller’s set is unbounded (9 customers)', () => {
    const { line, base } = sumsOf(customers9());
    expect(concentration(line, base)).toBeNull();
  });

  it('is not estimable without a dissatisfied payer, or when every customer or none is dissatisfied', () => {
    const none = sumsOf([...[5, 5].map((y) => ({ d: 0 as const, y, w: 1 })), { d: 1, y: 0, w: 1 }]);
    expect(concentration(none.line, none.base)).toBeNull();
    const all = sumsOf([5, 6, 7].map((y) => ({ d: 1 as const, y, w: 1 })));
    expect(concentration(all.line, all.base)).toBeNull();
  });
});
