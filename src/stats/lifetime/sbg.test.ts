import { describe, expect, it } from 'vitest';
import { SeededRandom, seedList } from '../seeded-random.case.js';
import { readSbgSurvival } from './cdnow-fixture.case.js';
import { drawBeta } from './purchase-simulation.case.js';
import { fitShiftedBetaGeometric, sbgLogLikelihood, sbgRetentionCurve, sbgRetentionRate, sbgSurvival } from './sbg.js';
import { sbgDiscountedResidualLifetime, sbgResidualLifetimeEstimate, sbgSurvivalEstimate } from './sbg-residual-lifetime.js';

/* Published: Fader & Hardie (2007), via test/fixtures/sbg-retention/SOURCE.md. */
const { highEnd, regular } = readSbgSurvival();
const relative = (actual: number, expected: number): number => Math.abs(actual - expected) / Math.abs(expected);

describe('sBG on the Fader & Hardie (2007) cohorts, years 1-7', () => {
  const highEndFit = fitShiftedBetaGeometric(highEnd);
  const regularFit = fitShiftedBetaGeometric(regular);

  it('reads the 8-row survival table', () => {
    expect(highEnd).toEqual([1000, 869, 743, 653, 593, 551, 517, 491]);
    expect(regular).toEqual([1000, 631, 468, 382, 326, 289, 262, 241]);
  });

  it('matches High End α, β = 0.668, 3.806 and Regular α, β = 0.704, 1.182 within 1%', () => {
    expect(highEndFit.converged).toBe(true);
    expect(regularFit.converged).toBe(true);
    expect(relative(highEndFit.params.alpha, 0.668)).toBeLessThan(0.01);
    expect(relative(highEndFit.params.beta, 3.806)).toBeLessThan(0.01);
    expect(relative(regularFit.params.alpha, 0.704)).toBeLessThan(0.01);
    expect(relative(regularFit.params.beta, 1.182)).toBeLessThan(0.01);
  });

  it('has the log-likelihood at α = β = 1 that the closed form gives (P(T = t) = 1/(t(t+1)), S(7) = 1/8)', () => {
    let expected = 491 * Math.log(1 / 8);
    for (let t = 1; t <= 7; t += 1) expected += ((highEnd[t - 1] ?? 0) - (highEnd[t] ?? 0)) * Math.log(1 / (t * (t + 1)));
    expect(sbgLogLikelihood({ alpha: 1, beta: 1 }, highEnd)).toBeCloseTo(expected, 9);
    expect(expected).toBeCloseTo(-2115.5455, 3);
  });

  it('tracks the observed survival within 2 points in every calibration year, with retention rising', () => {
    for (const [fit, alive] of [
      [highEndFit, highEnd],
      [regularFit, regular],
    ] as const) {
      const curve = sbgRetentionCurve(fit.params, 7);
      curve.forEach(({ period, survival }) => expect(Math.abs(survival - (alive[period] ?? 0) / 1000)).toBeLessThan(0.02));
      for (let t = 2; t <= 12; t += 1) expect(sbgRetentionRate(fit.params, t)).toBeGreaterThan(sbgRetentionRate(fit.params, t - 1));
    }
  });

  it('finds heterogeneity in both cohorts: no signal issue', () => {
    expect(highEndFit.signal).toEqual({ hasSignal: true, issues: [] });
    expect(regularFit.signal).toEqual({ hasSignal: true, issues: [] });
  });

  it('gives survival projections with delta-method intervals that widen with the horizon', () => {
    const near = sbgSurvivalEstimate(highEndFit, 8);
    const far = sbgSurvivalEstimate(highEndFit, 20);
    expect(near.interval.lower).toBeLessThan(near.estimate);
    expect(near.interval.upper).toBeGreaterThan(near.estimate);
    expect(far.interval.upper - far.interval.lower).toBeGreaterThan(near.interval.upper - near.interval.lower);
  });
});

describe('discounted expected residual lifetime (Fader & Hardie 2010)', () => {
  const directSum = (alpha: number, beta: number, d: number, renewals: number, terms: number): number => {
    const n = renewals + 1;
    let total = 0;
    const base = sbgSurvival({ alpha, beta }, n - 1);
    for (let t = n; t < n + terms; t += 1) total += sbgSurvival({ alpha, beta }, t) / base / Math.pow(1 + d, t - n);
    return total;
  };

  it.each([
    [0.668, 3.806, 0.1, 0],
    [0.668, 3.806, 0.1, 4],
    [0.704, 1.182, 0.05, 2],
    [2.5, 6, 0.01, 10],
  ])('equals the direct sum Σ S(t)/S(n−1)/(1+d)^(t−n) for α=%s, β=%s, d=%s, renewals=%s', (alpha, beta, d, renewals) => {
    expect(relative(sbgDiscountedResidualLifetime({ alpha, beta }, { discountRate: d, renewals }), directSum(alpha, beta, d, renewals, 6000))).toBeLessThan(1e-9);
  });

  it('is (β+n−1)/(α−1) undiscounted when α > 1, and infinite when α ≤ 1', () => {
    expect(sbgDiscountedResidualLifetime({ alpha: 3, beta: 5 }, { discountRate: 0, renewals: 2 })).toBeCloseTo(7 / 2, 12);
    expect(relative(directSum(3, 5, 0, 2, 200_000), 3.5)).toBeLessThan(1e-4);
    expect(sbgDiscountedResidualLifetime({ alpha: 0.7, beta: 1.2 }, { discountRate: 0, renewals: 0 })).toBe(Number.POSITIVE_INFINITY);
  });

  it('grows with tenure (survivors are the loyal ones) and carries a standard error', () => {
    const fit = fitShiftedBetaGeometric(highEnd);
    const first = sbgResidualLifetimeEstimate(fit, { discountRate: 0.1, renewals: 0 });
    const fifth = sbgResidualLifetimeEstimate(fit, { discountRate: 0.1, renewals: 4 });
    expect(fifth.estimate).toBeGreaterThan(first.estimate);
    expect(first.standardError).toBeGreaterThan(0);
    expect(first.interval.lower).toBeLessThan(first.estimate);
  });
});

describe('sBG standard errors and signal check by simulation', () => {
  function simulateCohort(random: SeededRandom, alpha: number, beta: number, size: number, years: number): number[] {
    const alive = Array.from({ length: years + 1 }, () => 0);
    for (let i = 0; i < size; i += 1) {
      const churn = drawBeta(random, alpha, beta);
      let lastAlive = 0;
      while (lastAlive < years && random.uniform() >= churn) lastAlive += 1;
      // The customer is active at the start of years 0..lastAlive.
      for (let t = 0; t <= lastAlive; t += 1) alive[t] = (alive[t] ?? 0) + 1;
    }
    return alive;
  }

  it('95% intervals for α and β cover the planted values in 200 simulated cohorts at a rate in [0.90, 0.985]', () => {
    // 400 intervals (two per cohort): at true coverage 0.95 the observed rate has SD ≈ 0.011, so
    // [0.90, 0.985] sits 4.6 and 3.2 SD out; a standard error off by a factor of 1.5 gives coverage
    // near 0.79 or 0.996 and fails.
    let covered = 0;
    let total = 0;
    for (const seed of seedList(200, 7_000)) {
      const fit = fitShiftedBetaGeometric(simulateCohort(new SeededRandom(seed), 0.668, 3.806, 1000, 7));
      for (const [name, truth] of [
        ['alpha', 0.668],
        ['beta', 3.806],
      ] as const) {
        const { lower, upper } = fit.parameters[name].interval;
        total += 1;
        if (lower <= truth && truth <= upper) covered += 1;
      }
    }
    expect(covered / total).toBeGreaterThanOrEqual(0.9);
    expect(covered / total).toBeLessThanOrEqual(0.985);
  });

  it('reports constant churn when every customer churns at the same rate', () => {
    const random = new SeededRandom(99);
    const alive = [1000];
    for (let t = 1; t <= 7; t += 1) {
      let survivors = 0;
      for (let i = 0; i < (alive[t - 1] ?? 0); i += 1) if (random.uniform() >= 0.2) survivors += 1;
      alive.push(survivors);
    }
    const fit = fitShiftedBetaGeometric(alive);
    expect(fit.signal.issues.map((issue) => issue.code)).toContain('constant_churn');
  });
});
