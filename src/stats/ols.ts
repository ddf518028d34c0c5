import { tCritical } from './critical-value.js';
import { fSf } from './distributions/f-distribution.js';
import { tTwoSidedPValue } from './distributions/student-t.js';
import { assertInput } from './invalid-input.js';
import { SymmetricSolver, type SymmetricSolverOptions } from './symmetric-solver.js';
import type { Interval } from './types.js';

/**
 * What SQL computes for a linear regression in one pass: X'X (sums of
 * cross-products of the predictors, the intercept as a column of ones), X'y,
 * y'y and the row count. Mergeable across shards by addition.
 */
export interface OlsSufficientStatistics {
  names: string[];
  xtx: number[][];
  xty: number[];
  yty: number;
  n: number;
  /** Index of the all-ones column, if the model has one: R² is then centred. */
  interceptIndex?: number | undefined;
}

export interface RegressionCoefficient {
  name: string;
  estimate: number;
  standardError: number;
  /** t for OLS, z for logistic regression. */
  statistic: number;
  pValue: number;
  interval: Interval;
}

export interface OlsFit {
  coefficients: RegressionCoefficient[];
  /** Coefficient covariance σ²(X'X)⁻¹. */
  covariance: number[][];
  rSquared: number;
  adjustedRSquared: number;
  /** σ² = SSE/(n − p). */
  residualVariance: number;
  dfResidual: number;
  /** Overall F test of all non-intercept coefficients; null when there are none. */
  fStatistic: number | null;
  fPValue: number | null;
  n: number;
}

export interface OlsOptions extends SymmetricSolverOptions {
  level?: number;
}

/**
 * Ordinary least squares from sufficient statistics: b = (X'X)⁻¹X'y,
 * SSE = y'y − b'X'y, σ² = SSE/(n − p), Cov(b) = σ²(X'X)⁻¹, t = b/SE on n − p df,
 * R² = 1 − SSE/SST (SST centred when there is an intercept, else y'y, as
 * statsmodels), adjusted R² = 1 − (n − k₀)/(n − p)·(1 − R²) with k₀ = 1 if
 * there is an intercept. Throws CollinearPredictorsError naming the columns
 * when X'X is singular.
 *
 * Precision: SSE comes from y'y − b'X'y, so when |ȳ| is much larger than the
 * residual SD, centre y in SQL (subtract a rough mean) before summing.
 *
 * @example
 * const fit = olsFromSufficientStatistics({ names: ['intercept', 'tenure'], xtx, xty, yty, n, interceptIndex: 0 });
 * fit.coefficients[1]; // { name: 'tenure', estimate, standardError, statistic, pValue, interval }
 */
export function olsFromSufficientStatistics(stats: OlsSufficientStatistics, options: OlsOptions = {}): OlsFit {
  const level = options.level ?? 0.95;
  const { names, xtx, xty, yty, n, interceptIndex } = stats;
  const p = names.length;
  assertInput(xty.length === p, `X'y has ${xty.length} entries for ${p} columns.`);
  assertInput(n > p, `A regression with ${p} coefficients needs more than ${p} rows; got ${n}.`);
  const solver = SymmetricSolver.factor(xtx, names, options);
  const beta = solver.solve(xty);
  const inverse = solver.inverse();
  const dfResidual = n - p;
  const explainedUncentred = beta.reduce((s, b, i) => s + b * (xty[i] ?? 0), 0);
  const sse = Math.max(0, yty - explainedUncentred);
  const residualVariance = sse / dfResidual;
  const hasIntercept = interceptIndex !== undefined;
  const sumY = hasIntercept ? (xty[interceptIndex] ?? 0) : 0;
  const sst = hasIntercept ? yty - (sumY * sumY) / n : yty;
  const rSquared = sst > 0 ? 1 - sse / sst : 0;
  const adjustedRSquared = 1 - ((n - (hasIntercept ? 1 : 0)) / dfResidual) * (1 - rSquared);
  const dfModel = p - (hasIntercept ? 1 : 0);
  const fStatistic = dfModel > 0 && residualVariance > 0 ? (sst - sse) / dfModel / residualVariance : null;
  const critical = tCritical(level, dfResidual);
  const covariance = inverse.map((row) => row.map((value) => value * residualVariance));
  const coefficients = names.map((name, j) => {
    const estimate = beta[j] ?? 0;
    const standardError = Math.sqrt(covariance[j]?.[j] ?? 0);
    const statistic = estimate / standardError;
    return {
      name,
      estimate,
      standardError,
      statistic,
      pValue: tTwoSidedPValue(statistic, dfResidual),
      interval: { lower: estimate - critical * standardError, upper: estimate + critical * standardError, level },
    };
  });
  return {
    coefficients,
    covariance,
    rSquared,
    adjustedRSquared,
    residualVariance,
    dfResidual,
    fStatistic,
    fPValue: fStatistic === null ? null : fSf(fStatistic, dfModel, dfResidual),
    n,
  };
}

/** X'X, X'y, y'y and n of in-memory rows: the small-data (and test) twin of the SQL aggregation. */
export function olsSufficientStatistics(
  rows: readonly (readonly number[])[],
  y: readonly number[],
  names: string[],
  interceptIndex?: number,
): OlsSufficientStatistics {
  assertInput(rows.length === y.length, `Got ${rows.length} rows but ${y.length} outcomes.`);
  const p = names.length;
  const xtx = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  const xty = new Array<number>(p).fill(0);
  let yty = 0;
  rows.forEach((row, r) => {
    assertInput(row.length === p, `Row ${r} has ${row.length} values for ${p} columns.`);
    const target = y[r] ?? 0;
    yty += target * target;
    for (let i = 0; i < p; i += 1) {
      const xi = row[i] ?? 0;
      xty[i] = (xty[i] ?? 0) + xi * target;
      const xtxRow = xtx[i] ?? [];
      for (let j = 0; j < p; j += 1) xtxRow[j] = (xtxRow[j] ?? 0) + xi * (row[j] ?? 0);
    }
  });
  return { names, xtx, xty, yty, n: rows.length, interceptIndex };
}
