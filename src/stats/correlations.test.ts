import { describe, expect, it } from 'vitest';
import { chiSquareTest } from './chi-square-test.js';
import { correlationEstimate, correlationInterval } from './correlation-estimate.js';
import { pearson } from './pearson.js';
import { phiCoefficient } from './phi.js';
import { pointBiserial } from './point-biserial.js';
import { midranks } from './rank.js';
import { expectAllClose, expectClose, loadReference } from './reference.case.js';
import { spearman } from './spearman.js';
import type { MeanSummary } from './types.js';

interface Correlations {
  x: number[];
  y: number[];
  ordinal: number[];
  group: number[];
  other: number[];
  pearson: { r: number; pValue: number; lower: number; upper: number };
  spearman: { rho: number; pValue: number; lower: number; upper: number };
  pointBiserial: { r: number; pValue: number };
  phi: { table: number[][]; r: number; chiSquare: number; pValue: number; lower: number; upper: number };
  chiSquareTest: { table: number[][]; statistic: number; pValue: number; df: number; expected: number[][]; cramersV: number };
}

const reference = loadReference<Correlations>('correlations.json');
const TOLERANCE = 1e-10;

function summary(values: number[]): MeanSummary {
  const n = values.length;
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
  return { n, mean, sd };
}

describe('correlations against scipy (relative 1e-10)', () => {
  it('Pearson r, p-value and Fisher interval', () => {
    const result = pearson(reference.x, reference.y);
    expectClose(result.estimate, reference.pearson.r, TOLERANCE, 0, 'r');
    expectClose(result.pValue, reference.pearson.pValue, TOLERANCE, 0, 'p');
    expectClose(result.interval.lower, reference.pearson.lower, TOLERANCE, 0, 'lower');
    expectClose(result.interval.upper, reference.pearson.upper, TOLERANCE, 0, 'upper');
  });

  it('Spearman ρ with ties, p-value and Bonett–Wright interval', () => {
    const result = spearman(reference.x, reference.ordinal);
    expectClose(result.estimate, reference.spearman.rho, TOLERANCE, 0, 'rho');
    expectClose(result.pValue, reference.spearman.pValue, TOLERANCE, 0, 'p');
    expectClose(result.interval.lower, reference.spearman.lower, TOLERANCE, 0, 'lower');
    expectClose(result.interval.upper, reference.spearman.upper, TOLERANCE, 0, 'upper');
  });

  it('point-biserial r from the two groups’ summaries', () => {
    const withTrait = summary(reference.y.filter((_, i) => reference.group[i] === 1));
    const without = summary(reference.y.filter((_, i) => reference.group[i] === 0));
    const result = pointBiserial(withTrait, without);
    expectClose(result.estimate, reference.pointBiserial.r, TOLERANCE, 0, 'r');
    expectClose(result.pValue, reference.pointBiserial.pValue, TOLERANCE, 0, 'p');
  });

  it('phi from a 2×2 table: r of the 0/1 codes, χ² p-value, Fisher interval', () => {
    const [[a, b], [c, d]] = reference.phi.table as [[number, number], [number, number]];
    const result = phiCoefficient({ bothYes: a, onlyFirst: b, onlySecond: c, neither: d });
    expectClose(result.estimate, reference.phi.r, TOLERANCE, 0, 'phi');
    expectClose(result.pValue, reference.phi.pValue, TOLERANCE, 0, 'p');
    expectClose(result.interval.lower, reference.phi.lower, TOLERANCE, 0, 'lower');
    expectClose(result.interval.upper, reference.phi.upper, TOLERANCE, 0, 'upper');
  });

  it('χ² test of independence on a 3×4 table', () => {
    const result = chiSquareTest(reference.chiSquareTest.table);
    expectClose(result.statistic, reference.chiSquareTest.statistic, TOLERANCE, 0, 'statistic');
    expectClose(result.pValue, reference.chiSquareTest.pValue, TOLERANCE, 0, 'p');
    expect(result.df).toBe(reference.chiSquareTest.df);
    expectClose(result.cramersV, reference.chiSquareTest.cramersV, TOLERANCE, 0, 'V');
    reference.chiSquareTest.expected.forEach((row, i) => expectAllClose(result.expected[i] ?? [], row, TOLERANCE, 0, `expected row ${i}`));
    expect(result.warnings).toEqual([]);
  });
});

describe('correlation details', () => {
  it('gives tied values the mean of their ranks', () => {
    expect(midranks([10, 20, 20, 5, 20])).toEqual([2, 4, 4, 1, 4]);
  });

  it('widens the Spearman interval relative to Fisher by √(1 + ρ²/2)', () => {
    const fisher = correlationInterval(0.6, 50, 0.95, 'fisher');
    const bonettWright = correlationInterval(0.6, 50, 0.95, 'bonett-wright');
    expectClose(bonettWright.standardError / fisher.standardError, Math.sqrt(1 + 0.18), 1e-14, 0, 'ratio');
  });

  it('handles a perfect correlation without an infinite z', () => {
    const result = correlationEstimate(1, 10);
    expect(result.interval).toEqual({ lower: 1, upper: 1, level: 0.95 });
    expect(result.pValue).toBe(0);
  });

  it('warns when expected counts are small', () => {
    const result = chiSquareTest([
      [3, 1],
      [1, 4],
    ]);
    expect(result.warnings[0]).toMatch(/below 5/);
  });

  it('rejects tables with an empty row and correlations with too few pairs', () => {
    expect(() => chiSquareTest([[1, 2], [0, 0]])).toThrow(/at least one count/);
    expect(() => correlationEstimate(0.2, 3)).toThrow(/n > 3/);
  });
});
