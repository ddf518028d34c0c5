import { describe, expect, it } from 'vitest';
import { parsePeriod } from './period.js';
import { ratioDifference, ratioEstimate } from './ratio-estimate.js';
import { meanSummaryFromSums, standardisedMeanDifference, standardisedProportionDifference } from './standardised-difference.js';

describe('ratio of totals', () => {
  it('with one contact per customer it is a proportion, SE √(p(1−p)/(n−1))', () => {
    // 30 of 100 customers' single contact was digital.
    const r = ratioEstimate({ n: 100, y: 30, m: 100, yy: 30, mm: 100, ym: 30 });
    expect(r?.estimate).toBe(0.3);
    expect(r?.standardError).toBeCloseTo(Math.sqrt((0.3 * 0.7) / 99), 12);
  });

  it('counts customers, not contacts, as the units: one heavy user widens the interval', () => {
    // 10 customers; one made 91 contacts all digital, nine made 1 phone contact each.
    const y = [91, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    const m = [91, 1, 1, 1, 1, 1, 1, 1, 1, 1];
    const sums = { n: 10, y: 91, m: 100, yy: y.reduce((s, v) => s + v * v, 0), mm: m.reduce((s, v) => s + v * v, 0), ym: y.reduce((s, v, i) => s + v * (m[i] ?? 0), 0) };
    const r = ratioEstimate(sums);
    expect(r?.estimate).toBe(0.91);
    const residuals = y.map((v, i) => v - 0.91 * (m[i] ?? 0));
    const direct = Math.sqrt(residuals.reduce((s, e) => s + e * e, 0) / (10 * 9)) / 10;
    expect(r?.standardError).toBeCloseTo(direct, 12);
    expect(r?.standardError).toBeGreaterThan(0.08);
    expect(ratioEstimate({ n: 1, y: 1, m: 1, yy: 1, mm: 1, ym: 1 })).toBeNull();
    const diff = ratioDifference(sums, { n: 100, y: 30, m: 100, yy: 30, mm: 100, ym: 30 });
    expect(diff?.estimate).toBeCloseTo(0.61, 12);
    expect(diff?.pValue).toBeLessThan(0.001);
  });
});

describe('standardised differences', () => {
  it('are differences in pooled standard deviations (Austin 2009)', () => {
    const d = standardisedMeanDifference({ n: 50, mean: 1, sd: 1 }, { n: 50, mean: 0, sd: 1 });
    expect(d?.estimate).toBeCloseTo(1, 12);
    expect(d?.interval.lower).toBeLessThan(1);
    expect(d?.interval.upper).toBeGreaterThan(1);
    const p = standardisedProportionDifference({ count: 50, n: 100 }, { count: 30, n: 100 });
    expect(p?.estimate).toBeCloseTo(0.2 / Math.sqrt((0.25 + 0.21) / 2), 12);
    expect(standardisedProportionDifference({ count: 0, n: 10 }, { count: 0, n: 10 })).toBeNull();
    expect(standardisedMeanDifference({ n: 1, mean: 1, sd: 0 }, { n: 5, mean: 0, sd: 1 })).toBeNull();
  });

  it('mean and SD from count, sum and sum of squares', () => {
    const xs = [2, 4, 4, 4, 5, 5, 7, 9];
    const s = meanSummaryFromSums(xs.length, xs.reduce((a, b) => a + b, 0), xs.reduce((a, b) => a + b * b, 0));
    expect(s.mean).toBe(5);
    expect(s.sd).toBeCloseTo(Math.sqrt(32 / 7), 12);
  });
});

describe('periods', () => {
  it('are whole UTC days, both ends inclusive, either end open', () => {
    const p = parsePeriod('2025-01-01', '2025-01-31');
    expect(p?.start?.toISOString()).toBe('2025-01-01T00:00:00.000Z');
    expect(p?.end?.toISOString()).toBe('2025-02-01T00:00:00.000Z');
    expect(parsePeriod(undefined, undefined)).toBeNull();
    expect(parsePeriod('2025-03-01', undefined)).toEqual({ from: '2025-03-01', start: new Date('2025-03-01T00:00:00Z') });
    for (const [from, to] of [['2025-02-30', undefined], ['25-01-01', undefined], ['2025-02-01', '2025-01-31'], [undefined, "2025-01-01'; --"]] as const) {
      expect(() => parsePeriod(from, to)).toThrow(/--from|--to|period/);
    }
  });
});
