import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../../engine/duckdb/engine.js';
import { ratingScale, toHundred } from './area-performance.js';
import { screenDrivers } from './driver-checks.js';
import { weighDrivers } from './driver-model.js';
import { correlationFromMoments, covarianceFromMoments } from './moments.js';
import { checkBlockKeys } from '../block-check.case.js';
import type { DriverSpec, Moments, OutcomeSpec } from './types.js';

/** The sums one SQL pass would return over these rows (weights optional). */
function momentsOf(rows: readonly number[][], weights?: readonly number[]): Moments {
  const size = rows[0]?.length ?? 0;
  const m: Moments = { n: 0, sums: new Array<number>(size).fill(0), products: Array.from({ length: size }, () => new Array<number>(size).fill(0)) };
  rows.forEach((row, r) => {
    const w = weights?.[r] ?? 1;
    m.n += w;
    row.forEach((x, i) => {
      m.sums[i] = (m.sums[i] ?? 0) + w * x;
      row.forEach((y, j) => ((m.products[i] as number[])[j] = (m.products[i]?.[j] ?? 0) + w * x * y));
    });
  });
  return m;
}

const satisfaction: OutcomeSpec = { name: 'nps', label: 'likelihood to recommend', binary: false, higherIsBetter: true, happened: 'answered', more: 'higher scores', less: 'lower scores' };
const churn: OutcomeSpec = { name: 'churned', label: 'churn', binary: true, higherIsBetter: false, happened: 'churned', more: 'more churn', less: 'less churn' };
const rating = (name: string): DriverSpec => ({ name, label: name, kind: 'rating' });

describe('moments to correlations', () => {
  it('give the sample covariance and Pearson r of the rows', () => {
    const rows = [
      [1, 2, 10],
      [2, 2, 12],
      [3, 5, 11],
      [4, 4, 15],
      [6, 7, 14],
    ];
    const m = momentsOf(rows);
    const cov = covarianceFromMoments(m);
    // By hand: x = 1,2,3,4,6 (mean 3.2), z = 10,12,11,15,14 (mean 12.4): Σ(x−x̄)(z−z̄) = 12.6, /4 = 3.15.
    expect(cov[0]?.[2]).toBeCloseTo(3.15, 12);
    const corr = correlationFromMoments(m);
    expect(corr[0]?.[0]).toBe(1);
    expect(corr[0]?.[2]).toBeCloseTo(3.15 / Math.sqrt(3.7 * 4.3), 12);
    expect(correlationFromMoments(momentsOf([[1, 3], [1, 4], [1, 5]]))[0]?.[1]).toBeNaN();
  });
});

describe('screening drivers', () => {
  const base = Array.from({ length: 60 }, (_, i) => [i % 11, 1 + (i % 5), 1 + ((i * 7) % 5), 1 + ((i * 3) % 4)]);

  it('leave out a driver that is the outcome, name identical ones, and keep the rest', () => {
    const rows = base.map((r) => [r[0] ?? 0, r[1] ?? 0, r[1] ?? 0, 2 * (r[0] ?? 0) + 1, r[2] ?? 0]);
    const specs = ['a', 'a copy', 'leak', 'b'].map(rating);
    const screen = screenDrivers(momentsOf(rows), specs, satisfaction, 'responses');
    expect(screen.excluded.map((e) => [e.spec.name, e.reason])).toEqual([
      ['leak', 'leak'],
      ['a copy', 'collinear'],
    ]);
    expect(screen.kept).toEqual([1, 4]);
    expect(screen.warnings[0]).toMatch(/^a and a copy are nearly collinear \(r = 1\.00\)/);
    expect(screen.withheld).toBeNull();
  });

  it('names a driver the others nearly determine (VIF above 10) without leaving it out', () => {
    // c = a + b + a little noise: VIF of c far above 10, no pair at |r| ≥ 0.9.
    const rows = base.map((r, i) => [r[0] ?? 0, r[1] ?? 0, r[2] ?? 0, (r[1] ?? 0) + (r[2] ?? 0) + (i % 2 === 0 ? 0.1 : -0.1)]);
    const screen = screenDrivers(momentsOf(rows), ['a', 'b', 'c'].map(rating), satisfaction, 'responses');
    expect(screen.kept).toEqual([1, 2, 3]);
    expect(screen.warnings.some((w) => /^c is nearly collinear with the other drivers \(variance inflation factor \d+\.\d > 10\)/.test(w))).toBe(true);
  });

  it('withhold weights under 10 complete rows per driver', () => {
    const screen = screenDrivers(momentsOf(base.slice(0, 29)), ['a', 'b', 'c'].map(rating), satisfaction, 'responses');
    expect(screen.withheld).toBe('Too few complete responses for 3 drivers: 29, fewer than 10 per driver (30 needed), so weights would be noise and are not reported.');
    expect(screenDrivers(momentsOf(base.slice(0, 30)), ['a', 'b', 'c'].map(rating), satisfaction, 'responses').withheld).toBeNull();
  });

  it('tell a flag that separates churn (a leak) from one that is merely rare or small', () => {
    // 60 customers, a third churn; flag x: nobody with it churns (30 of them: (2/3)^30 ≈ 5e-6 by chance).
    const rows = Array.from({ length: 60 }, (_, i) => {
      const x = i % 2;
      const churned = x === 0 && i % 3 !== 0 ? 1 : 0;
      const rare = i < 3 ? 1 : 0;
      const small = i < 6 ? 1 : 0;
      return [churned, x, rare, small, i % 7];
    });
    const specs: DriverSpec[] = [
      { name: 'x', label: 'x', kind: 'flag' },
      { name: 'rare', label: 'rare', kind: 'flag' },
      { name: 'small', label: 'small', kind: 'flag' },
      { name: 'contacts', label: 'contacts', kind: 'rate' },
    ];
    const screen = screenDrivers(momentsOf(rows), specs, churn, 'customers');
    expect(screen.excluded.map((e) => [e.spec.name, e.reason])).toEqual([
      ['x', 'leak'],
      ['rare', 'rare'],
    ]);
    expect(screen.excluded[0]?.text).toBe(
      'x separates churn almost perfectly: none of the 30 customers with it churned. That is a likely leak or a definitional link (the flag may be recorded because of the outcome), not a finding; it was left out of the weights.',
    );
    // `small`: 6 with it, 2 of whom churned: no separation, kept.
    expect(screen.kept).toEqual([3, 4]);
  });

  it('call a constant driver out, and a constant outcome unexplainable', () => {
    const rows = base.map((r) => [r[0] ?? 0, 3, r[1] ?? 0]);
    expect(screenDrivers(momentsOf(rows), ['same', 'b'].map(rating), satisfaction, 'responses').excluded.map((e) => e.reason)).toEqual(['constant']);
    expect(screenDrivers(momentsOf(base.map((r) => [5, r[1] ?? 0])), [rating('b')], satisfaction, 'responses').withheld).toMatch(/does not vary/);
  });
});

describe('weighing drivers', () => {
  it('rank by share, sign by correlation, and warn when a rating or a fixed attribute is no lever', () => {
    const rows = Array.from({ length: 200 }, (_, i) => {
      const a = (i * 37) % 11;
      const b = (i * 53) % 7;
      const t = (i * 29) % 13;
      return [2 * a - 1.5 * b + 0.3 * t + ((i * 17) % 5), a, b, t];
    });
    const specs: DriverSpec[] = [rating('a'), rating('b'), { name: 'tenure', label: 'tenure', kind: 'fixed' }];
    const point = momentsOf(rows);
    const screen = screenDrivers(point, specs, satisfaction, 'responses');
    // 40 replicates with deterministic Poisson-like weights 0..3.
    const replicates = Array.from({ length: 40 }, (_, r) => momentsOf(rows.map((row) => [row[0] ?? 0, row[1] ?? 0, row[2] ?? 0, row[3] ?? 0]), rows.map((_, i) => ((i * 7 + r * 13) % 4 === 0 ? 0 : 1 + ((i + r) % 3)))));
    const model = weighDrivers({ outcome: satisfaction, specs, point, screen, replicates, rowsAre: 'responses' });
    expect(model.drivers.map((d) => [d.spec.name, d.rank])).toEqual([
      ['a', 1],
      ['b', 2],
      ['tenure', 3],
    ]);
    expect(model.drivers[1]?.correlation).toBeLessThan(0);
    expect(model.drivers.reduce((s, d) => s + d.share, 0)).toBeCloseTo(1, 12);
    expect(model.rSquared).toBeCloseTo(model.drivers.reduce((s, d) => s + d.rawWeight, 0), 12);
    expect(model.replicates).toBe(40);
    expect(model.warnings.some((w) => w.startsWith('Higher ratings of b go with lower scores (r = -0.') && w.includes('n = 200): raising it is no lever'))).toBe(true);
    expect(model.warnings.some((w) => /^tenure carries \d+\.\d% of the explained variation in likelihood to recommend, but the company cannot change it/.test(w))).toBe(true);
  });
});

describe('rating scales', () => {
  it('read the scale from the answers: 1-5, 1-7, 0-10, 0-1', () => {
    expect(ratingScale(1, 5)).toEqual({ low: 1, high: 5 });
    expect(ratingScale(2, 4)).toEqual({ low: 1, high: 5 });
    expect(ratingScale(1, 6)).toEqual({ low: 1, high: 7 });
    expect(ratingScale(0, 9)).toEqual({ low: 0, high: 10 });
    expect(ratingScale(0, 0.8)).toEqual({ low: 0, high: 1 });
    expect(toHundred(3, { low: 1, high: 5 })).toBe(50);
  });
});

describe('bootstrap blocks computed in SQL', () => {
  let duck: DuckDbEngine;
  beforeAll(async () => {
    duck = await DuckDbEngine.open(':memory:', { memoryLimit: '256MB' });
  });
  afterAll(async () => {
    await duck.close();
  });

  it('are exactly the blocks TypeScript derives from the portable hash (DuckDB, 10,000 ids)', async () => {
    const check = await checkBlockKeys(duck, 10_000);
    expect(check.rows).toBe(10_000);
    expect(check.wrong).toEqual([]);
    // 10,000 ids fill most of the 4,096 blocks (1 − e^(−2.44) ≈ 91%).
    expect(check.distinct).toBeGreaterThan(3600);
  });
});
