import { describe, expect, it } from 'vitest';
import { expectClose, loadReference } from '../reference.case.js';
import { chiSquareCdf, chiSquareQuantile, chiSquareSf } from './chi-square.js';
import { fCdf, fQuantile, fSf } from './f-distribution.js';
import { normalCdf, normalQuantile, normalSf } from './normal.js';
import { tCdf, tQuantile, tSf, tTwoSidedPValue } from './student-t.js';

interface TailCase {
  cdf: number;
  sf: number;
  scipyCdf: number;
  scipySf: number;
}
interface QuantileCase {
  p: number;
  quantile: number;
  scipy: number;
}
interface Distributions {
  normal: (TailCase & { z: number })[];
  normalQuantiles: QuantileCase[];
  studentT: (TailCase & { t: number; df: number })[];
  studentTQuantiles: (QuantileCase & { df: number })[];
  chiSquare: (TailCase & { x: number; k: number })[];
  chiSquareQuantiles: (QuantileCase & { k: number })[];
  f: (TailCase & { x: number; d1: number; d2: number })[];
  fQuantiles: (QuantileCase & { d1: number; d2: number })[];
}

const reference = loadReference<Distributions>('distributions.json');

// Tolerances: each tail is compared relative to its own size, so a p-value of
// 1e-200 must be right to 10 significant digits, not merely "near zero".
const RELATIVE = 1e-10;
// Below this a probability has underflowed in double precision on one side or the other.
const UNDERFLOW = 1e-300;

describe('distribution functions against mpmath (40 digits), relative 1e-10', () => {
  it('normal CDF and survival function', () => {
    for (const c of reference.normal) {
      expectClose(normalCdf(c.z), c.cdf, RELATIVE, UNDERFLOW, `Φ(${c.z})`);
      expectClose(normalSf(c.z), c.sf, RELATIVE, UNDERFLOW, `1-Φ(${c.z})`);
    }
  });

  it('normal quantile', () => {
    for (const c of reference.normalQuantiles) expectClose(normalQuantile(c.p), c.quantile, RELATIVE, 0, `Φ⁻¹(${c.p})`);
  });

  it('Student t CDF and survival function, df from 1 to 10⁶', () => {
    for (const c of reference.studentT) {
      expectClose(tCdf(c.t, c.df), c.cdf, RELATIVE, UNDERFLOW, `T_${c.df}(${c.t})`);
      expectClose(tSf(c.t, c.df), c.sf, RELATIVE, UNDERFLOW, `1-T_${c.df}(${c.t})`);
      expectClose(tTwoSidedPValue(c.t, c.df), 2 * Math.min(c.cdf, c.sf), RELATIVE, UNDERFLOW, `two-sided ${c.df} ${c.t}`);
    }
  });

  it('Student t quantile', () => {
    for (const c of reference.studentTQuantiles) expectClose(tQuantile(c.p, c.df), c.quantile, RELATIVE, 1e-300, `t_${c.df}⁻¹(${c.p})`);
  });

  it('chi-square CDF, survival function and quantile', () => {
    for (const c of reference.chiSquare) {
      expectClose(chiSquareCdf(c.x, c.k), c.cdf, RELATIVE, UNDERFLOW, `χ²_${c.k} cdf(${c.x})`);
      expectClose(chiSquareSf(c.x, c.k), c.sf, RELATIVE, UNDERFLOW, `χ²_${c.k} sf(${c.x})`);
    }
    for (const c of reference.chiSquareQuantiles) expectClose(chiSquareQuantile(c.p, c.k), c.quantile, RELATIVE, 0, `χ²_${c.k}⁻¹(${c.p})`);
  });

  it('F CDF, survival function and quantile', () => {
    for (const c of reference.f) {
      expectClose(fCdf(c.x, c.d1, c.d2), c.cdf, RELATIVE, UNDERFLOW, `F(${c.d1},${c.d2}) cdf(${c.x})`);
      expectClose(fSf(c.x, c.d1, c.d2), c.sf, RELATIVE, UNDERFLOW, `F(${c.d1},${c.d2}) sf(${c.x})`);
    }
    for (const c of reference.fQuantiles) expectClose(fQuantile(c.p, c.d1, c.d2), c.quantile, RELATIVE, 0, `F(${c.d1},${c.d2})⁻¹(${c.p})`);
  });
});

describe('distribution functions against scipy 1.10, relative 1e-10', () => {
  it('CDFs and survival functions agree with scipy', () => {
    for (const c of reference.normal) expectClose(normalCdf(c.z), c.scipyCdf, RELATIVE, UNDERFLOW, `scipy Φ(${c.z})`);
    for (const c of reference.studentT) expectClose(tSf(c.t, c.df), c.scipySf, RELATIVE, UNDERFLOW, `scipy t sf ${c.df} ${c.t}`);
    for (const c of reference.chiSquare) expectClose(chiSquareSf(c.x, c.k), c.scipySf, RELATIVE, UNDERFLOW, `scipy χ² sf ${c.k} ${c.x}`);
    for (const c of reference.f) expectClose(fSf(c.x, c.d1, c.d2), c.scipySf, RELATIVE, UNDERFLOW, `scipy F sf ${c.d1} ${c.d2} ${c.x}`);
  });

  it('quantiles agree with scipy where scipy itself is accurate (its t quantile is not: see compute.py)', () => {
    for (const c of reference.normalQuantiles) expectClose(normalQuantile(c.p), c.scipy, RELATIVE, 0, `scipy Φ⁻¹(${c.p})`);
    for (const c of reference.chiSquareQuantiles) expectClose(chiSquareQuantile(c.p, c.k), c.scipy, RELATIVE, 0, `scipy χ²⁻¹ ${c.k} ${c.p}`);
    for (const c of reference.fQuantiles) expectClose(fQuantile(c.p, c.d1, c.d2), c.scipy, RELATIVE, 0, `scipy F⁻¹ ${c.d1} ${c.d2} ${c.p}`);
    // scipy 1.10's stdtrit is up to 2.6e-9 (relative) away from mpmath on this grid: compare at 1e-8.
    for (const c of reference.studentTQuantiles) expectClose(tQuantile(c.p, c.df), c.scipy, 1e-8, 1e-15, `scipy t⁻¹ ${c.df} ${c.p}`);
  });
});

describe('distribution edge cases', () => {
  it('returns the support bounds at p = 0 and p = 1, and NaN outside [0, 1]', () => {
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(tQuantile(1, 4)).toBe(Number.POSITIVE_INFINITY);
    expect(chiSquareQuantile(0, 3)).toBe(0);
    expect(fQuantile(1, 2, 3)).toBe(Number.POSITIVE_INFINITY);
    expect(tQuantile(1.2, 4)).toBeNaN();
    expect(chiSquareCdf(1, -1)).toBeNaN();
  });

  it('treats infinite degrees of freedom as the normal distribution', () => {
    expect(tCdf(1.3, Number.POSITIVE_INFINITY)).toBe(normalCdf(1.3));
    expect(tQuantile(0.975, Number.POSITIVE_INFINITY)).toBe(normalQuantile(0.975));
  });

  it('round-trips quantile and CDF', () => {
    for (const p of [1e-8, 0.01, 0.3, 0.77, 0.9999]) {
      expectClose(tCdf(tQuantile(p, 7.3), 7.3), p, 1e-12, 0, `t ${p}`);
      expectClose(chiSquareCdf(chiSquareQuantile(p, 0.7), 0.7), p, 1e-12, 0, `χ² ${p}`);
    }
  });

  it('returns the limits far out in the tails instead of iterating (a z of 1e15 from a near-perfect fit)', () => {
    expect(normalCdf(-1e15)).toBe(0);
    expect(normalCdf(1e15)).toBe(1);
    // mpmath: Φ(−35) = 1.12491070647240624e-268; still computed, not cut to 0.
    expect(Math.abs(normalCdf(-35) / 1.12491070647240624e-268 - 1)).toBeLessThan(1e-10);
    expect(chiSquareCdf(1e300, 3)).toBe(1);
  });
});
