import { CholeskyDecomposition, Matrix, inverse } from 'ml-matrix';
import { normalCritical } from '../critical-value.js';
import type { ParameterEstimate } from './types.js';

/*
 * Standard errors come from the observed information: the Hessian of −LL in
 * the log-parameters, by central differences of the gradient (analytic where
 * the model has one), inverted. Log-parameters because that is where the
 * likelihood is closest to quadratic and where the optimizer works; the
 * natural-scale standard error is then θ·se(log θ) (delta method), and the
 * interval exp(log θ ± z·se) stays positive.
 */
const STEP = 1e-4;

/** Hessian by central differences of a gradient, symmetrized. */
export function hessianFromGradient(gradient: (x: readonly number[]) => number[], at: readonly number[], step = STEP): number[][] {
  const n = at.length;
  const columns = Array.from({ length: n }, (_, j) => {
    const plus = gradient(at.map((v, k) => (k === j ? v + step : v)));
    const minus = gradient(at.map((v, k) => (k === j ? v - step : v)));
    return plus.map((g, i) => (g - (minus[i] ?? 0)) / (2 * step));
  });
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => ((columns[j]?.[i] ?? 0) + (columns[i]?.[j] ?? 0)) / 2));
}

/** Hessian by second differences of the function value, for models without an analytic gradient. */
export function hessianFromValues(value: (x: readonly number[]) => number, at: readonly number[], step = 1e-3): number[][] {
  const n = at.length;
  const shifted = (moves: [number, number][]): number => value(at.map((v, k) => moves.reduce((acc, [index, by]) => (index === k ? acc + by : acc), v)));
  const centre = value(at);
  const h = Array.from({ length: n }, () => Array.from({ length: n }, () => 0));
  for (let i = 0; i < n; i += 1) {
    (h[i] as number[])[i] = (shifted([[i, step]]) - 2 * centre + shifted([[i, -step]])) / (step * step);
    for (let j = 0; j < i; j += 1) {
      const mixed =
        (shifted([[i, step], [j, step]]) - shifted([[i, step], [j, -step]]) - shifted([[i, -step], [j, step]]) + shifted([[i, -step], [j, -step]])) /
        (4 * step * step);
      (h[i] as number[])[j] = mixed;
      (h[j] as number[])[i] = mixed;
    }
  }
  return h;
}

/** Inverse of a Hessian of −LL, or null when it is not positive definite (a flat or saddle direction). */
export function covarianceFromHessian(hessian: number[][]): number[][] | null {
  if (hessian.some((row) => row.some((v) => !Number.isFinite(v)))) return null;
  const matrix = new Matrix(hessian);
  if (!new CholeskyDecomposition(matrix).isPositiveDefinite()) return null;
  const covariance = inverse(matrix).to2DArray();
  return covariance.every((row, i) => (row[i] ?? 0) > 0) ? covariance : null;
}

/** Natural-scale estimates with delta-method standard errors and log-scale intervals. */
export function parameterEstimates<Name extends string>(
  names: readonly Name[],
  logValues: readonly number[],
  covariance: number[][] | null,
  level: number,
): Record<Name, ParameterEstimate> {
  const z = normalCritical(level);
  const entries = names.map((name, i) => {
    const logValue = logValues[i] ?? Number.NaN;
    const estimate = Math.exp(logValue);
    const logSe = covariance === null ? Number.NaN : Math.sqrt(covariance[i]?.[i] ?? Number.NaN);
    const interval = { lower: Math.exp(logValue - z * logSe), upper: Math.exp(logValue + z * logSe), level };
    return [name, { estimate, standardError: estimate * logSe, interval }] as const;
  });
  return Object.fromEntries(entries) as Record<Name, ParameterEstimate>;
}

/**
 * Standard error of any smooth function of the parameters by the delta method:
 * √(∇ᵀ Σ ∇), with ∇ the central-difference gradient in the log-parameters.
 */
export function deltaMethodStandardError(fn: (logValues: readonly number[]) => number, logValues: readonly number[], covariance: number[][] | null): number {
  if (covariance === null) return Number.NaN;
  const step = 1e-5;
  const grad = logValues.map((_, j) => {
    const plus = fn(logValues.map((v, k) => (k === j ? v + step : v)));
    const minus = fn(logValues.map((v, k) => (k === j ? v - step : v)));
    return (plus - minus) / (2 * step);
  });
  let variance = 0;
  grad.forEach((gi, i) => grad.forEach((gj, j) => (variance += gi * gj * (covariance[i]?.[j] ?? 0))));
  return Math.sqrt(Math.max(0, variance));
}
