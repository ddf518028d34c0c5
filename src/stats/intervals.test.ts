import { describe, expect, it } from 'vitest';
import { meanInterval } from './mean-interval.js';
import { welchDifference } from './mean-difference.js';
import { npsCounts, npsDifference, npsInterval } from './nps.js';
import { proportionDifference } from './proportion-difference.js';
import { expectClose, loadReference } from './reference.case.js';
import type { MeanSummary } from './types.js';
import { wilsonInterval } from './wilson-interval.js';

interface Intervals {
  wilson: { count: number; n: number; level: number; lower: number; upper: number }[];
  means: (MeanSummary & { level: number; lower: number; upper: number })[];
  newcombe: { count1: number; n1: number; count2: number; n2: number; level: number; lower: number; upper: number; z: number; pValue: number }[];
  welch: { a: MeanSummary; b: MeanSummary; level: number; t: number; df: number; pValue: number; lower: number; upper: number }[];
}

const reference = loadReference<Intervals>('intervals.json');
// statsmodels computes the same closed forms, so the bounds agree to 1e-10 — except where a
// Student t quantile enters: scipy 1.10's is up to 2.6e-9 off (see distributions.test.ts, which
// holds ours to mpmath at 1e-10), so t-based bounds are compared at 1e-8.
const TOLERANCE = 1e-10;
const T_BASED = 1e-8;

describe('intervals against statsmodels / scipy (relative 1e-10)', () => {
  it('Wilson score interval', () => {
    for (const c of reference.wilson) {
      const result = wilsonInterval({ count: c.count, n: c.n }, c.level);
      expectClose(result.interval.lower, c.lower, TOLERANCE, 1e-15, `wilson ${c.count}/${c.n} lower`);
      expectClose(result.interval.upper, c.upper, TOLERANCE, 1e-15, `wilson ${c.count}/${c.n} upper`);
    }
  });

  it('t interval for a mean', () => {
    for (const c of reference.means) {
      const result = meanInterval(c, c.level);
      expectClose(result.interval.lower, c.lower, T_BASED, 1e-12, `mean n=${c.n} lower`);
      expectClose(result.interval.upper, c.upper, T_BASED, 1e-12, `mean n=${c.n} upper`);
    }
  });

  it('Newcombe interval and pooled z test for a difference of proportions', () => {
    for (const c of reference.newcombe) {
      const result = proportionDifference({ count: c.count1, n: c.n1 }, { count: c.count2, n: c.n2 }, c.level);
      const label = `${c.count1}/${c.n1} vs ${c.count2}/${c.n2}`;
      expectClose(result.interval.lower, c.lower, TOLERANCE, 1e-14, `${label} lower`);
      expectClose(result.interval.upper, c.upper, TOLERANCE, 1e-14, `${label} upper`);
      expectClose(result.statistic, c.z, TOLERANCE, 1e-14, `${label} z`);
      expectClose(result.pValue, c.pValue, TOLERANCE, 1e-300, `${label} p`);
    }
  });

  it('Welch difference of means', () => {
    for (const c of reference.welch) {
      const result = welchDifference(c.a, c.b, c.level);
      expectClose(result.statistic, c.t, TOLERANCE, 0, 'welch t');
      expectClose(result.df, c.df, TOLERANCE, 0, 'welch df');
      expectClose(result.pValue, c.pValue, 1e-9, 0, 'welch p');
      expectClose(result.interval.lower, c.lower, T_BASED, 1e-12, 'welch lower');
      expectClose(result.interval.upper, c.upper, T_BASED, 1e-12, 'welch upper');
    }
  });
});

describe('NPS', () => {
  it('matches a worked example computed by hand', () => {
    // 50 promoters, 30 passives, 20 detractors out of 100:
    // NPS = 100·(0.50 − 0.20) = 30
    // Var = 100²·[0.50 + 0.20 − 0.30²]/100 = 10 000·0.61/100 = 61, SE = √61 = 7.8102497
    // 95%: 30 ± 1.9599640·7.8102497 = 30 ± 15.307808 → [14.692192, 45.307808]
    const result = npsInterval({ promoters: 50, passives: 30, detractors: 20 });
    expect(result.estimate).toBeCloseTo(30, 12);
    expect(result.standardError).toBeCloseTo(7.8102497, 6);
    expect(result.interval.lower).toBeCloseTo(14.692192, 5);
    expect(result.interval.upper).toBeCloseTo(45.307808, 5);
    expect(result.n).toBe(100);
  });

  it('has the variance of the per-answer score (+100 / 0 / −100) over n', () => {
    const counts = { promoters: 17, passives: 9, detractors: 11 };
    const scores = [...Array<number>(17).fill(100), ...Array<number>(9).fill(0), ...Array<number>(11).fill(-100)];
    const n = scores.length;
    const mean = scores.reduce((s, v) => s + v, 0) / n;
    const populationVariance = scores.reduce((s, v) => s + (v - mean) ** 2, 0) / n;
    const result = npsInterval(counts);
    expectClose(result.estimate, mean, 1e-12, 1e-12, 'nps');
    expectClose(result.standardError, Math.sqrt(populationVariance / n), 1e-12, 0, 'nps se');
  });

  it('counts groups from 0–10 answers and rejects anything else', () => {
    expect(npsCounts([10, 9, 8, 7, 6, 0, 9])).toEqual({ promoters: 3, passives: 2, detractors: 2 });
    expect(() => npsCounts([11])).toThrow(/0–10/);
  });

  it('differences two independent NPS values with summed variances', () => {
    const a = { promoters: 50, passives: 30, detractors: 20 };
    const b = { promoters: 30, passives: 40, detractors: 30 };
    const result = npsDifference(a, b);
    // b: NPS 0, Var = 10 000·0.6/100 = 60; SE(diff) = √(61 + 60) = 11
    expect(result.estimate).toBeCloseTo(30, 12);
    expect(result.standardError).toBeCloseTo(11, 12);
    expect(result.interval.lower).toBeCloseTo(30 - 1.959963984540054 * 11, 10);
    expect(result.pValue).toBeCloseTo(2 * 0.003191, 5); // z = 30/11 = 2.7273, 2·(1 − Φ(2.7273))
  });

  it('clips the interval to the NPS scale', () => {
    const result = npsInterval({ promoters: 3, passives: 0, detractors: 0 });
    expect(result.interval.upper).toBe(100);
  });
});

describe('input checks', () => {
  it('rejects impossible proportions and too-small samples', () => {
    expect(() => wilsonInterval({ count: 5, n: 3 })).toThrow(/count ≤ n/);
    expect(() => wilsonInterval({ count: 1, n: 3 }, 1.5)).toThrow(/level/);
    expect(() => meanInterval({ n: 1, mean: 3, sd: 0 })).toThrow(/at least 2/);
  });

  it('puts Wilson bounds exactly at 0 and 1 for all-or-nothing counts', () => {
    expect(wilsonInterval({ count: 0, n: 12 }).interval.lower).toBe(0);
    expect(wilsonInterval({ count: 12, n: 12 }).interval.upper).toBe(1);
  });
});
