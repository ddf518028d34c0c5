import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { assertInput } from './invalid-input.js';
import { SymmetricSolver } from './symmetric-solver.js';

export interface RelativeWeight {
  name: string;
  /** Johnson's raw relative weight ε_j; the raw weights sum to R². */
  rawWeight: number;
  /** ε_j / R²: the share of the explained variance, summing to 1. */
  rescaledWeight: number;
  /** The ordinary standardized regression coefficient, for comparison. */
  standardizedCoefficient: number;
}

export interface RelativeWeights {
  outcome: string;
  rSquared: number;
  weights: RelativeWeight[];
}

/**
 * Johnson's relative weights (Johnson 2000, "A heuristic method for estimating
 * the relative weight of predictor variables in multiple regression",
 * Multivariate Behavioral Research 35:1) from a correlation matrix, so it runs
 * on SQL's corr() output. With Rxx = V·diag(λ)·V': Λ = V·diag(√λ)·V' holds the
 * correlations of the predictors with their closest orthogonal counterparts Z;
 * β = Λ⁻¹·rxy regresses the outcome on Z; ε_j = Σ_k Λ_jk²·β_k². Unlike
 * standardized coefficients, the ε_j are non-negative and sum to R², which is
 * what a key-driver chart needs when drivers are correlated.
 *
 * @param correlation the full correlation matrix of predictors and outcome, in `names` order
 * @example relativeWeights(corr, ['price', 'speed', 'satisfaction'], 'satisfaction')
 */
export function relativeWeights(correlation: readonly (readonly number[])[], names: readonly string[], outcome: string): RelativeWeights {
  const size = names.length;
  assertInput(correlation.length === size && correlation.every((row) => row.length === size), `Expected a ${size}×${size} correlation matrix.`);
  const outcomeIndex = names.indexOf(outcome);
  assertInput(outcomeIndex >= 0, `The outcome '${outcome}' is not among ${names.join(', ')}.`);
  const predictors = names.map((_, i) => i).filter((i) => i !== outcomeIndex);
  assertInput(predictors.length >= 1, 'Relative weights need at least one predictor.');
  const at = (i: number, j: number): number => correlation[i]?.[j] ?? Number.NaN;
  const rxx = predictors.map((i) => predictors.map((j) => 0.5 * (at(i, j) + at(j, i))));
  const rxy = predictors.map((i) => at(i, outcomeIndex));
  assertInput([...rxx.flat(), ...rxy].every(Number.isFinite), 'The correlation matrix has a missing or non-finite entry.');
  const predictorNames = predictors.map((i) => names[i] ?? `#${i}`);
  // Names the culprits when Rxx is singular (a driver duplicated, or a sum of others).
  SymmetricSolver.factor(rxx, predictorNames);
  const evd = new EigenvalueDecomposition(new Matrix(rxx), { assumeSymmetric: true });
  const vectors = evd.eigenvectorMatrix;
  const values = evd.realEigenvalues;
  const p = predictors.length;
  // Λ = V√λV' and Λ⁻¹ = V(1/√λ)V', Rxx⁻¹ = V(1/λ)V': all from one decomposition.
  const lambda = Array.from({ length: p }, (_, j) => Array.from({ length: p }, (_, k) => sumOver(p, (m) => vectors.get(j, m) * Math.sqrt(values[m] ?? 0) * vectors.get(k, m))));
  const vtr = Array.from({ length: p }, (_, m) => sumOver(p, (j) => vectors.get(j, m) * (rxy[j] ?? 0)));
  const beta = Array.from({ length: p }, (_, k) => sumOver(p, (m) => (vectors.get(k, m) * (vtr[m] ?? 0)) / Math.sqrt(values[m] ?? 1)));
  const standardized = Array.from({ length: p }, (_, k) => sumOver(p, (m) => (vectors.get(k, m) * (vtr[m] ?? 0)) / (values[m] ?? 1)));
  const raw = Array.from({ length: p }, (_, j) => sumOver(p, (k) => (lambda[j]?.[k] ?? 0) ** 2 * (beta[k] ?? 0) ** 2));
  const rSquared = raw.reduce((s, w) => s + w, 0);
  return {
    outcome,
    rSquared,
    weights: predictorNames.map((name, j) => ({
      name,
      rawWeight: raw[j] ?? 0,
      rescaledWeight: rSquared > 0 ? (raw[j] ?? 0) / rSquared : 0,
      standardizedCoefficient: standardized[j] ?? 0,
    })),
  };
}

function sumOver(count: number, term: (index: number) => number): number {
  let sum = 0;
  for (let index = 0; index < count; index += 1) sum += term(index);
  return sum;
}
