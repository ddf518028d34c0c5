import { Matrix, solve } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { driverWeights } from './relative-weights.js';
import { plantedCorrelation, plantedWeights, PLANTED_R_SQUARED } from './satisfaction.js';

/** R² of the outcome on a subset of predictors, from correlations. */
function subsetRSquared(rxx: number[][], rxy: number[], subset: number[]): number {
  if (subset.length === 0) return 0;
  const sub = new Matrix(subset.map((i) => subset.map((j) => rxx[i]?.[j] ?? 0)));
  const r = Matrix.columnVector(subset.map((i) => rxy[i] ?? 0));
  const beta = solve(sub, r);
  return subset.reduce((s, i, k) => s + beta.get(k, 0) * (rxy[i] ?? 0), 0);
}

/** Dominance analysis general dominance weights (Azen & Budescu 2003), by all subsets. */
function generalDominance(rxx: number[][], rxy: number[]): number[] {
  const p = rxy.length;
  const weights = new Array<number>(p).fill(0);
  for (let j = 0; j < p; j += 1) {
    const bySize = new Array<number[]>(p).fill([]).map(() => [] as number[]);
    for (let mask = 0; mask < 1 << p; mask += 1) {
      if (mask & (1 << j)) continue;
      const subset = Array.from({ length: p }, (_, i) => i).filter((i) => mask & (1 << i));
      bySize[subset.length]?.push(subsetRSquared(rxx, rxy, [...subset, j]) - subsetRSquared(rxx, rxy, subset));
    }
    weights[j] = bySize.reduce((s, gains) => s + gains.reduce((a, b) => a + b, 0) / gains.length, 0) / p;
  }
  return weights;
}

describe('driverWeights (Johnson 2000 relative weights)', () => {
  it('gives squared correlations for orthogonal predictors', () => {
    const w = driverWeights([[1, 0, 0], [0, 1, 0], [0, 0, 1]], [0.5, 0.3, 0.1]);
    expect(w.relativeWeights.map((x) => Number(x.toFixed(12)))).toEqual([0.25, 0.09, 0.01]);
    expect(w.rSquared).toBeCloseTo(0.35, 12);
    expect(w.standardizedWeights.map((x) => Number(x.toFixed(12)))).toEqual([0.5, 0.3, 0.1]);
  });

  it('matches the closed form for two correlated predictors', () => {
    const r = 0.6;
    const [a, b] = [0.5, 0.4];
    const c = (Math.sqrt(1 + r) + Math.sqrt(1 - r)) / 2;
    const s = (Math.sqrt(1 + r) - Math.sqrt(1 - r)) / 2;
    const det = c * c - s * s;
    const beta1 = (c * a - s * b) / det;
    const beta2 = (c * b - s * a) / det;
    const w = driverWeights([[1, r], [r, 1]], [a, b]);
    expect(w.relativeWeights[0]).toBeCloseTo(c * c * beta1 * beta1 + s * s * beta2 * beta2, 12);
    expect(w.relativeWeights[1]).toBeCloseTo(s * s * beta1 * beta1 + c * c * beta2 * beta2, 12);
    expect(w.rSquared).toBeCloseTo((a * a + b * b - 2 * r * a * b) / (1 - r * r), 12);
  });

  it('on the planted population: sums to R² = 0.55 and agrees with dominance analysis within 0.01', () => {
    const rxx = plantedCorrelation();
    const beta = plantedWeights();
    const rxy = rxx.map((row) => row.reduce((sum, v, j) => sum + v * (beta[j] ?? 0), 0));
    const w = driverWeights(rxx, rxy);
    expect(w.rSquared).toBeCloseTo(PLANTED_R_SQUARED, 10);
    expect(w.relativeWeights.reduce((a, b) => a + b, 0)).toBeCloseTo(PLANTED_R_SQUARED, 10);
    w.standardizedWeights.forEach((b, i) => expect(b).toBeCloseTo(beta[i] ?? 0, 10));
    const dominance = generalDominance(rxx, rxy);
    w.relativeWeights.forEach((rw, i) => expect(Math.abs(rw - (dominance[i] ?? 0))).toBeLessThan(0.01));
    expect(w.relativeWeightShares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });
});
