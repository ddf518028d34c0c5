import { describe, expect, it } from 'vitest';
import { CollinearPredictorsError } from './collinear-predictors-error.js';
import { percentileInterval, quantileSorted } from './percentile-interval.js';
import { poissonOneThresholds, poissonWeightFromHash } from './poisson-weight.js';
import { expectAllClose, expectClose, loadReference } from './reference.case.js';
import { relativeWeightIntervals } from './relative-weight-intervals.js';
import { relativeWeights } from './relative-weights.js';
import { SeededRandom } from './seeded-random.case.js';

interface RelativeWeightsReference {
  names: string[];
  outcome: string;
  correlation: number[][];
  rawWeights: number[];
  rSquared: number;
  percentile: { values: number[]; level: number; lower: number; upper: number };
  poissonOneCdf: number[];
}

const reference = loadReference<RelativeWeightsReference>('relative-weights.json');
const allNames = [...reference.names, reference.outcome];

describe('Johnson relative weights', () => {
  it('match an independent numpy implementation, and sum to the OLS R² from statsmodels (1e-10)', () => {
    const result = relativeWeights(reference.correlation, allNames, reference.outcome);
    expectAllClose(result.weights.map((w) => w.rawWeight), reference.rawWeights, 1e-10, 1e-14, 'raw');
    expectClose(result.rSquared, reference.rSquared, 1e-10, 0, 'R²');
    expectClose(result.weights.reduce((s, w) => s + w.rescaledWeight, 0), 1, 1e-12, 0, 'shares');
  });

  it('match the closed form for two correlated predictors, checked by hand', () => {
    // Rxx = [[1, r], [r, 1]] has eigenvalues 1 ± r with eigenvectors (1, ±1)/√2, so
    // Λ = [[a, b], [b, a]] with a = (√(1+r) + √(1−r))/2, b = (√(1+r) − √(1−r))/2,
    // β = Λ⁻¹·rxy = [[a, −b], [−b, a]]·rxy / (a² − b²), ε_j = Σ_k Λ_jk² β_k².
    const r = 0.5;
    const r1 = 0.6;
    const r2 = 0.3;
    const a = (Math.sqrt(1.5) + Math.sqrt(0.5)) / 2; // 0.965925826
    const b = (Math.sqrt(1.5) - Math.sqrt(0.5)) / 2; // 0.258819045
    const det = a * a - b * b; // = √(1 − r²) = 0.866025404
    const beta1 = (a * r1 - b * r2) / det;
    const beta2 = (a * r2 - b * r1) / det;
    const expected1 = a * a * beta1 * beta1 + b * b * beta2 * beta2;
    const expected2 = b * b * beta1 * beta1 + a * a * beta2 * beta2;
    // R² = (r1² + r2² − 2·r1·r2·r)/(1 − r²) = (0.36 + 0.09 − 0.18)/0.75 = 0.36
    const result = relativeWeights(
      [
        [1, r, r1],
        [r, 1, r2],
        [r1, r2, 1],
      ],
      ['x1', 'x2', 'y'],
      'y',
    );
    expectClose(det, Math.sqrt(0.75), 1e-15, 0, 'det');
    expectClose(result.rSquared, 0.36, 1e-14, 0, 'R²');
    expectClose(result.weights[0]?.rawWeight ?? 0, expected1, 1e-14, 0, 'ε1');
    expectClose(result.weights[1]?.rawWeight ?? 0, expected2, 1e-14, 0, 'ε2');
    expectClose(expected1 + expected2, 0.36, 1e-14, 0, 'closed form sums to R²');
    // Standardized betas: (r1 − r·r2)/(1 − r²) = 0.6, (r2 − r·r1)/(1 − r²) = 0.
    expectClose(result.weights[0]?.standardizedCoefficient ?? 0, 0.6, 1e-14, 0, 'b1');
    expectClose(result.weights[1]?.standardizedCoefficient ?? 1, 0, 0, 1e-14, 'b2');
    // A predictor with zero beta still gets weight through its correlation with x1: that is the point of the method.
    expect(result.weights[1]?.rawWeight ?? 0).toBeGreaterThan(0.01);
  });

  it('reduce to squared correlations when the predictors are uncorrelated', () => {
    const result = relativeWeights(
      [
        [1, 0, 0, 0.4],
        [0, 1, 0, -0.3],
        [0, 0, 1, 0.1],
        [0.4, -0.3, 0.1, 1],
      ],
      ['a', 'b', 'c', 'y'],
      'y',
    );
    expectAllClose(result.weights.map((w) => w.rawWeight), [0.16, 0.09, 0.01], 1e-13, 0, 'r²');
  });

  it('name duplicated drivers instead of returning weights', () => {
    expect(() =>
      relativeWeights(
        [
          [1, 1, 0.5],
          [1, 1, 0.5],
          [0.5, 0.5, 1],
        ],
        ['speed', 'speed_copy', 'y'],
        'y',
      ),
    ).toThrow(CollinearPredictorsError);
  });
});

describe('Poisson(1) weights from a 64-bit hash', () => {
  it('use thresholds equal to the Poisson(1) CDF (scipy) to 1e-15', () => {
    const thresholds = poissonOneThresholds();
    thresholds.forEach((t, k) => expectClose(Number(t) / 2 ** 64, reference.poissonOneCdf[k] ?? 1, 0, 1e-15, `F(${k})`));
    expect(thresholds.length).toBeGreaterThanOrEqual(17);
  });

  it('invert the CDF exactly at the threshold boundaries', () => {
    const [t0, t1] = poissonOneThresholds() as [bigint, bigint];
    expect(poissonWeightFromHash(0n)).toBe(0);
    expect(poissonWeightFromHash(t0 - 1n)).toBe(0);
    expect(poissonWeightFromHash(t0)).toBe(1);
    expect(poissonWeightFromHash(t1 - 1n)).toBe(1);
    expect(poissonWeightFromHash(t1)).toBe(2);
    expect(poissonWeightFromHash((1n << 64n) - 1n)).toBe(poissonOneThresholds().length);
    expect(() => poissonWeightFromHash(-1n)).toThrow(/unsigned 64-bit/);
    expect(() => poissonWeightFromHash(1n << 64n)).toThrow(/unsigned 64-bit/);
  });

  it('give Poisson(1) frequencies from uniform hashes (χ² goodness of fit, 20 000 draws)', () => {
    const random = new SeededRandom(91);
    const draws = 20_000;
    const counts = new Array<number>(6).fill(0);
    let sum = 0;
    for (let i = 0; i < draws; i += 1) {
      const k = poissonWeightFromHash(random.uint64());
      sum += k;
      counts[Math.min(k, 5)] = (counts[Math.min(k, 5)] ?? 0) + 1;
    }
    const pmf = [0, 1, 2, 3, 4].map((k) => (reference.poissonOneCdf[k] ?? 0) - (reference.poissonOneCdf[k - 1] ?? 0));
    const probabilities = [...pmf, 1 - (reference.poissonOneCdf[4] ?? 0)];
    const chiSquare = counts.reduce((s, c, k) => s + (c - draws * (probabilities[k] ?? 0)) ** 2 / (draws * (probabilities[k] ?? 1)), 0);
    // 5 df: the 0.999 quantile is 20.5.
    expect(chiSquare).toBeLessThan(20.5);
    expect(Math.abs(sum / draws - 1)).toBeLessThan(4 / Math.sqrt(draws));
  });
});

describe('bootstrap percentile intervals', () => {
  it('match numpy.percentile (linear interpolation)', () => {
    const { values, level, lower, upper } = reference.percentile;
    const interval = percentileInterval(values, level);
    expectClose(interval.lower, lower, 1e-14, 0, 'lower');
    expectClose(interval.upper, upper, 1e-14, 0, 'upper');
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
  });

  it('wrap relative weights from Poisson-bootstrap replicate correlation matrices', () => {
    // Simulated data with known structure; each replicate's correlation matrix is computed with
    // Poisson(1) row weights from hashes, exactly as the SQL side would.
    const random = new SeededRandom(2024);
    const n = 300;
    const rows = Array.from({ length: n }, () => {
      const x1 = random.normal();
      const x2 = 0.5 * x1 + random.normal();
      const x3 = random.normal();
      return [x1, x2, x3, 0.6 * x1 + 0.3 * x2 + random.normal()];
    });
    const names = ['x1', 'x2', 'x3', 'y'];
    const point = weightedCorrelation(rows, rows.map(() => 1));
    const replicates = Array.from({ length: 200 }, () => weightedCorrelation(rows, rows.map(() => poissonWeightFromHash(random.uint64()))));
    const result = relativeWeightIntervals(point, replicates, names, 'y', 0.9);
    expect(result.replicates).toBe(200);
    for (const w of result.weights) {
      expect(w.rawInterval.lower).toBeLessThanOrEqual(w.rawWeight);
      expect(w.rawInterval.upper).toBeGreaterThanOrEqual(w.rawWeight);
    }
    // x1 dominates, x3 is noise: their intervals must not overlap.
    const [x1, , x3] = result.weights;
    expect(x1?.rescaledInterval.lower ?? 0).toBeGreaterThan(x3?.rescaledInterval.upper ?? 1);
    expect(x3?.rawInterval.lower ?? 1).toBeLessThan(0.01);
    expect(() => relativeWeightIntervals(point, replicates.slice(0, 5), names, 'y')).toThrow(/at least 20/);
  });
});

function weightedCorrelation(rows: number[][], weights: number[]): number[][] {
  const p = rows[0]?.length ?? 0;
  const total = weights.reduce((s, w) => s + w, 0);
  const means = Array.from({ length: p }, (_, j) => rows.reduce((s, row, i) => s + (weights[i] ?? 0) * (row[j] ?? 0), 0) / total);
  const cov = Array.from({ length: p }, (_, j) =>
    Array.from({ length: p }, (_, k) => rows.reduce((s, row, i) => s + (weights[i] ?? 0) * ((row[j] ?? 0) - (means[j] ?? 0)) * ((row[k] ?? 0) - (means[k] ?? 0)), 0)),
  );
  return cov.map((row, j) => row.map((value, k) => value / Math.sqrt((cov[j]?.[j] ?? 1) * (cov[k]?.[k] ?? 1))));
}
