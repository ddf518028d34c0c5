import { assertInput } from './invalid-input.js';
import { percentileInterval } from './percentile-interval.js';
import { relativeWeights, type RelativeWeights } from './relative-weights.js';
import type { Interval } from './types.js';

export interface RelativeWeightInterval {
  name: string;
  rawWeight: number;
  rawInterval: Interval;
  rescaledWeight: number;
  rescaledInterval: Interval;
}

export interface RelativeWeightsWithIntervals {
  outcome: string;
  rSquared: number;
  rSquaredInterval: Interval;
  weights: RelativeWeightInterval[];
  replicates: number;
}

/**
 * Johnson's relative weights with bootstrap percentile intervals. Each
 * replicate is a correlation matrix computed in SQL with Poisson(1) row
 * weights (see poissonWeightFromHash), in the same variable order as the
 * point estimate's matrix (Tonidandel, LeBreton & Johnson 2009, Psychological
 * Methods 14:387, bootstrap the weights this way).
 */
export function relativeWeightIntervals(
  correlation: readonly (readonly number[])[],
  replicateCorrelations: readonly (readonly (readonly number[])[])[],
  names: readonly string[],
  outcome: string,
  level = 0.95,
): RelativeWeightsWithIntervals {
  assertInput(replicateCorrelations.length >= 20, `A percentile interval needs at least 20 bootstrap replicates; got ${replicateCorrelations.length}.`);
  const estimate = relativeWeights(correlation, names, outcome);
  const replicates: RelativeWeights[] = replicateCorrelations.map((matrix) => relativeWeights(matrix, names, outcome));
  return {
    outcome,
    rSquared: estimate.rSquared,
    rSquaredInterval: percentileInterval(
      replicates.map((r) => r.rSquared),
      level,
    ),
    weights: estimate.weights.map((weight, j) => ({
      name: weight.name,
      rawWeight: weight.rawWeight,
      rawInterval: percentileInterval(
        replicates.map((r) => r.weights[j]?.rawWeight ?? Number.NaN),
        level,
      ),
      rescaledWeight: weight.rescaledWeight,
      rescaledInterval: percentileInterval(
        replicates.map((r) => r.weights[j]?.rescaledWeight ?? Number.NaN),
        level,
      ),
    })),
    replicates: replicates.length,
  };
}
