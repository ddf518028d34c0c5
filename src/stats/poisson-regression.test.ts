import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CollinearPredictorsError } from './collinear-predictors-error.js';
import { fitPoissonRegression, type PoissonRow } from './poisson-regression.js';

// Tolerances: statsmodels' GLM is fitted to 1e-12 (IRLS on the full design,
// strata as dummies); cxray profiles the strata out of each Newton step. Both
// solve the same likelihood equations, so coefficients and standard errors
// agree to 1e-8 relative (what double sums over a few hundred rows allow).
// Closed forms: with one stratum and one binary flag, the MLE is the ratio of
// the two crude rates and its standard error √(1/d₁ + 1/d₀), exactly.

interface Case {
  names: string[];
  strata: number;
  rows: PoissonRow[];
  coefficients: number[];
  standardErrors: number[];
  strataLogRates?: number[];
  deviance?: number;
  pearsonChiSquare?: number;
  dispersion?: number;
  dfResidual?: number;
}

const reference = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'test', 'references', 'poisson.json'), 'utf8')) as { hazard: Case; amounts: Case };

const close = (actual: number, expected: number, relative = 1e-8): void => {
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(relative * Math.max(1, Math.abs(expected)));
};

describe('fitPoissonRegression', () => {
  it('gives the crude rate ratio and √(1/d₁ + 1/d₀) for one flag in one stratum', () => {
    const fit = fitPoissonRegression(
      [
        { stratum: 0, x: [1], y: 30, exposure: 100 },
        { stratum: 0, x: [0], y: 20, exposure: 120 },
      ],
      { names: ['flag'] },
    );
    const flag = fit.coefficients[0];
    close(flag?.rateRatio ?? 0, 30 / 100 / (20 / 120), 1e-12);
    close(flag?.standardError ?? 0, Math.sqrt(1 / 30 + 1 / 20), 1e-10);
    close(fit.strataLogRates[0] ?? 0, Math.log(20 / 120), 1e-12);
    expect(fit.converged).toBe(true);
    expect(fit.dispersion).toBe(1);
  });

  it('matches statsmodels GLM (Poisson, log-exposure offset, strata as dummies) on person-time cells', () => {
    const c = reference.hazard;
    const fit = fitPoissonRegression(c.rows, { names: c.names, strata: c.strata });
    expect(fit.converged).toBe(true);
    c.coefficients.forEach((b, i) => close(fit.coefficients[i]?.estimate ?? 0, b));
    c.standardErrors.forEach((se, i) => close(fit.coefficients[i]?.standardError ?? 0, se));
    c.strataLogRates?.forEach((a, j) => close(fit.strataLogRates[j] ?? 0, a));
    close(fit.deviance, c.deviance ?? 0);
    close(fit.pearsonChiSquare, c.pearsonChiSquare ?? 0);
    expect(fit.dfResidual).toBe(c.rows.length - c.strata - c.names.length);
  });

  it('matches statsmodels quasi-Poisson (scale = Pearson χ²/df) on over-dispersed amounts of money', () => {
    const c = reference.amounts;
    const fit = fitPoissonRegression(c.rows, { names: c.names, strata: c.strata, dispersion: 'quasi' });
    c.coefficients.forEach((b, i) => close(fit.coefficients[i]?.estimate ?? 0, b));
    c.standardErrors.forEach((se, i) => close(fit.coefficients[i]?.standardError ?? 0, se));
    close(fit.dispersion, c.dispersion ?? 0);
    expect(fit.dfResidual).toBe(c.dfResidual);
    // Under quasi-likelihood the interval is on t with the residual df, wider than the normal one.
    const window = fit.coefficients[0];
    expect(((window?.interval.upper ?? 0) - (window?.estimate ?? 0)) / (window?.standardError ?? 1)).toBeGreaterThan(1.96);
  });

  it('never lets a quasi-Poisson dispersion under 1 narrow the intervals of counts (quasi-at-least-1)', () => {
    // Counts more regular than Poisson: φ < 1 by chance.
    const rows: PoissonRow[] = Array.from({ length: 40 }, (_, i) => ({ stratum: 0, x: [i % 2], y: i % 2 === 0 ? 10 : 20, exposure: 1 }));
    const quasi = fitPoissonRegression(rows, { names: ['flag'], dispersion: 'quasi' });
    const floored = fitPoissonRegression(rows, { names: ['flag'], dispersion: 'quasi-at-least-1' });
    expect(quasi.dispersion).toBeLessThan(1e-9);
    expect(floored.dispersion).toBe(1);
    close(floored.coefficients[0]?.rateRatio ?? 0, 2, 1e-12);
  });

  it('leaves out a stratum without events (rate 0) instead of chasing its intercept to −∞', () => {
    const rows: PoissonRow[] = [
      { stratum: 0, x: [1], y: 12, exposure: 40 },
      { stratum: 0, x: [0], y: 10, exposure: 50 },
      { stratum: 1, x: [1], y: 0, exposure: 30 },
      { stratum: 1, x: [0], y: 0, exposure: 35 },
    ];
    const fit = fitPoissonRegression(rows, { names: ['flag'], strata: 2 });
    expect(fit.strataLogRates[1]).toBeNull();
    expect(fit.n).toBe(2);
    close(fit.coefficients[0]?.rateRatio ?? 0, 12 / 40 / (10 / 50), 1e-12);
  });

  it('names a predictor constant within every stratum as collinear with the strata', () => {
    const rows: PoissonRow[] = [
      { stratum: 0, x: [1, 1], y: 5, exposure: 10 },
      { stratum: 0, x: [0, 1], y: 3, exposure: 10 },
      { stratum: 1, x: [1, 0], y: 4, exposure: 10 },
      { stratum: 1, x: [0, 0], y: 2, exposure: 10 },
    ];
    expect(() => fitPoissonRegression(rows, { names: ['flag', 'band_two'], strata: 2 })).toThrow(CollinearPredictorsError);
  });

  it('refuses events without exposure and negative counts', () => {
    expect(() => fitPoissonRegression([{ stratum: 0, x: [], y: 1, exposure: 0 }], { names: [] })).toThrow(/exposure/);
    expect(() => fitPoissonRegression([{ stratum: 0, x: [], y: -1, exposure: 1 }], { names: [] })).toThrow(/non-negative/);
  });
});
