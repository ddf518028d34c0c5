import { EigenvalueDecomposition, Matrix, solve } from 'ml-matrix';

export interface DriverWeights {
  /** Standardized regression coefficients (Rxx^-1 rxy). */
  standardizedWeights: number[];
  rSquared: number;
  /** Johnson's raw relative weights; they sum to R². */
  relativeWeights: number[];
  /** Relative weights as shares of R² (sum 1). */
  relativeWeightShares: number[];
}

/**
 * Key-driver weights from a predictor correlation matrix and the predictors'
 * correlations with the outcome.
 *
 * Relative weights follow Johnson, J. W. (2000), "A heuristic method for
 * estimating the relative weight of predictor variables in multiple
 * regression", Multivariate Behavioral Research 35(1), 1-19: with
 * Rxx = V diag(λ) V', Λ = V diag(√λ) V' holds the correlations between the
 * predictors and their closest orthogonal counterparts Z; β = Λ^-1 rxy
 * regresses the outcome on Z; the weight of predictor j is Σ_k Λ_jk² β_k².
 */
export function driverWeights(predictorCorrelation: readonly (readonly number[])[], outcomeCorrelation: readonly number[]): DriverWeights {
  const rxx = new Matrix(predictorCorrelation.map((row) => [...row]));
  const rxy = Matrix.columnVector([...outcomeCorrelation]);
  const evd = new EigenvalueDecomposition(rxx, { assumeSymmetric: true });
  const vectors = evd.eigenvectorMatrix;
  const rootValues = evd.realEigenvalues.map((value) => Math.sqrt(Math.max(value, 0)));
  const lambda = vectors.mmul(Matrix.diag(rootValues)).mmul(vectors.transpose());
  const betaOrthogonal = solve(lambda, rxy);
  const p = outcomeCorrelation.length;
  const relativeWeights: number[] = [];
  for (let j = 0; j < p; j += 1) {
    let weight = 0;
    for (let k = 0; k < p; k += 1) weight += lambda.get(j, k) ** 2 * betaOrthogonal.get(k, 0) ** 2;
    relativeWeights.push(weight);
  }
  const beta = solve(rxx, rxy);
  const standardizedWeights = beta.getColumn(0);
  let rSquared = 0;
  for (let j = 0; j < p; j += 1) rSquared += (standardizedWeights[j] ?? 0) * (outcomeCorrelation[j] ?? 0);
  const total = relativeWeights.reduce((sum, w) => sum + w, 0);
  return {
    standardizedWeights,
    rSquared,
    relativeWeights,
    relativeWeightShares: relativeWeights.map((w) => (total > 0 ? w / total : 0)),
  };
}
