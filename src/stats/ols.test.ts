import { describe, expect, it } from 'vitest';
import { CollinearPredictorsError } from './collinear-predictors-error.js';
import { olsFromSufficientStatistics, olsSufficientStatistics, type OlsFit } from './ols.js';
import { expectAllClose, expectClose, loadReference } from './reference.case.js';

interface OlsReference {
  names: string[];
  interceptIndex: number | null;
  xtx: number[][];
  xty: number[];
  yty: number;
  n: number;
  coefficients: number[];
  standardErrors: number[];
  t: number[];
  pValues: number[];
  lower: number[];
  upper: number[];
  rSquared: number;
  adjustedRSquared: number;
  residualVariance: number;
  fStatistic: number;
  fPValue: number;
  dfResidual: number;
}

const reference = loadReference<{ rows: number[][]; y: number[]; withIntercept: OlsReference; withoutIntercept: OlsReference }>('ols.json');
// statsmodels solves by pseudo-inverse of the data matrix; we solve the normal equations.
// Both are exact to ~1e-12 on this well-conditioned design; 1e-8 is the contract.
const TOLERANCE = 1e-8;

function compare(fit: OlsFit, expected: OlsReference): void {
  expectAllClose(fit.coefficients.map((c) => c.estimate), expected.coefficients, TOLERANCE, 0, 'b');
  expectAllClose(fit.coefficients.map((c) => c.standardError), expected.standardErrors, TOLERANCE, 0, 'se');
  expectAllClose(fit.coefficients.map((c) => c.statistic), expected.t, TOLERANCE, 0, 't');
  expectAllClose(fit.coefficients.map((c) => c.pValue), expected.pValues, TOLERANCE, 1e-300, 'p');
  // statsmodels' bounds carry scipy's t-quantile error (up to 2.6e-9 relative), i.e. an error in units
  // of the standard error: compare bounds to 1e-8 of the estimate plus 1e-8 standard errors.
  fit.coefficients.forEach((c, j) => {
    expectClose(c.interval.lower, expected.lower[j] ?? Number.NaN, TOLERANCE, TOLERANCE * c.standardError, `lower[${j}]`);
    expectClose(c.interval.upper, expected.upper[j] ?? Number.NaN, TOLERANCE, TOLERANCE * c.standardError, `upper[${j}]`);
  });
  expectClose(fit.rSquared, expected.rSquared, TOLERANCE, 0, 'R²');
  expectClose(fit.adjustedRSquared, expected.adjustedRSquared, TOLERANCE, 0, 'adj R²');
  expectClose(fit.residualVariance, expected.residualVariance, TOLERANCE, 0, 'σ²');
  expectClose(fit.fStatistic ?? Number.NaN, expected.fStatistic, TOLERANCE, 0, 'F');
  expectClose(fit.fPValue ?? Number.NaN, expected.fPValue, TOLERANCE, 1e-300, 'F p');
  expect(fit.dfResidual).toBe(expected.dfResidual);
}

function fromReference(expected: OlsReference) {
  return { ...expected, interceptIndex: expected.interceptIndex ?? undefined };
}

describe('OLS from sufficient statistics against statsmodels (relative 1e-8)', () => {
  it('with an intercept, from the X′X statsmodels’ side computed', () => {
    compare(olsFromSufficientStatistics(fromReference(reference.withIntercept)), reference.withIntercept);
  });

  it('with an intercept, from X′X accumulated here', () => {
    const stats = olsSufficientStatistics(reference.rows, reference.y, reference.withIntercept.names, 0);
    compare(olsFromSufficientStatistics(stats), reference.withIntercept);
  });

  it('without an intercept (uncentred R², as statsmodels)', () => {
    compare(olsFromSufficientStatistics(fromReference(reference.withoutIntercept)), reference.withoutIntercept);
  });

  it('is unchanged when a predictor is rescaled by 10⁶ (equilibration), up to the scale', () => {
    const rows = reference.rows.map((row) => row.map((v, j) => (j === 1 ? v * 1e6 : v)));
    const fit = olsFromSufficientStatistics(olsSufficientStatistics(rows, reference.y, reference.withIntercept.names, 0));
    expectClose((fit.coefficients[1]?.estimate ?? 0) * 1e6, reference.withIntercept.coefficients[1] ?? 0, TOLERANCE, 0, 'scaled b');
    expectClose(fit.coefficients[1]?.pValue ?? 0, reference.withIntercept.pValues[1] ?? 0, TOLERANCE, 0, 'scaled p');
  });
});

describe('collinear predictors', () => {
  it('names the column that is a combination of others, and what it depends on', () => {
    // monthly = 12·yearly exactly; 'other' is independent.
    const rows = reference.rows.map((row) => [1, row[1] ?? 0, 12 * (row[1] ?? 0), row[3] ?? 0]);
    const stats = olsSufficientStatistics(rows, reference.y, ['intercept', 'tenure_years', 'tenure_months', 'tickets'], 0);
    let caught: unknown;
    try {
      olsFromSufficientStatistics(stats);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CollinearPredictorsError);
    const error = caught as CollinearPredictorsError;
    expect(error.code).toBe('collinear_predictors');
    expect(error.collinear).toEqual([{ column: 'tenure_months', dependsOn: ['tenure_years'] }]);
    expect(error.message).toContain("'tenure_months' is a linear combination of 'tenure_years'");
    expect(error.hint).toMatch(/Remove one/);
  });

  it('names a sum of several columns and an all-zero column', () => {
    const rows = reference.rows.map((row) => [1, row[1] ?? 0, row[3] ?? 0, (row[1] ?? 0) + (row[3] ?? 0) - 2, 0]);
    const stats = olsSufficientStatistics(rows, reference.y, ['intercept', 'a', 'b', 'a_plus_b', 'zero'], 0);
    expect(() => olsFromSufficientStatistics(stats)).toThrow(CollinearPredictorsError);
    try {
      olsFromSufficientStatistics(stats);
    } catch (error) {
      expect((error as CollinearPredictorsError).collinear).toEqual([
        { column: 'a_plus_b', dependsOn: ['intercept', 'a', 'b'] },
        { column: 'zero', dependsOn: [] },
      ]);
    }
  });

  it('refuses a model with no residual degrees of freedom', () => {
    const stats = olsSufficientStatistics(reference.rows.slice(0, 4), reference.y.slice(0, 4), reference.withIntercept.names, 0);
    expect(() => olsFromSufficientStatistics(stats)).toThrow(/more than 4 rows/);
  });
});
