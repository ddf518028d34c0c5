/*
 * cxray's small-data statistics: pure functions over aggregates that SQL has
 * already computed. No I/O, no SQL (DESIGN.md: model <- stats <- analysis).
 */
export type { DifferenceEstimate, Interval, IntervalEstimate, MeanSummary, Proportion } from './types.js';
export * from './distributions/index.js';
export { normalCritical, tCritical } from './critical-value.js';

export { wilsonInterval } from './wilson-interval.js';
export { meanInterval } from './mean-interval.js';
export { npsCounts, npsDifference, npsInterval, type NpsCounts } from './nps.js';
export { proportionDifference } from './proportion-difference.js';
export { welchDifference, type WelchDifference } from './mean-difference.js';

export { correlationEstimate, correlationInterval, correlationPValue, type CorrelationEstimate, type CorrelationIntervalMethod } from './correlation-estimate.js';
export { pearson, pearsonR } from './pearson.js';
export { spearman, spearmanEstimate } from './spearman.js';
export { phiCoefficient, type TwoByTwo } from './phi.js';
export { pointBiserial } from './point-biserial.js';
export { chiSquareTest, type ChiSquareTest } from './chi-square-test.js';
export { midranks } from './rank.js';

export { CollinearPredictorsError, type CollinearColumn } from './collinear-predictors-error.js';
export { SymmetricSolver, type SymmetricSolverOptions } from './symmetric-solver.js';
export { olsFromSufficientStatistics, olsSufficientStatistics, type OlsFit, type OlsOptions, type OlsSufficientStatistics, type RegressionCoefficient } from './ols.js';
export {
  LogisticIrls,
  logisticIrlsStep,
  logisticNullLogLikelihood,
  type LogisticAggregate,
  type LogisticCoefficient,
  type LogisticFit,
  type LogisticOptions,
} from './logistic-irls.js';
export { fitLogisticInMemory, fitLogisticIrls, logisticAggregate, logisticProbability } from './logistic-fit.js';
export { auc, aucFromBins, type AucEstimate, type ScoreBin } from './auc.js';

export { relativeWeights, type RelativeWeight, type RelativeWeights } from './relative-weights.js';
export { relativeWeightIntervals, type RelativeWeightInterval, type RelativeWeightsWithIntervals } from './relative-weight-intervals.js';
export { poissonOneThresholds, poissonWeightFromHash } from './poisson-weight.js';
export { percentileInterval, quantileSorted } from './percentile-interval.js';

export { benjaminiHochberg } from './benjamini-hochberg.js';
export { screen, type ScreenableFinding, type ScreenedFinding, type ScreenOptions } from './screen.js';
export { isSuppressed, MINIMUM_CELL_COUNT, suppressSmallCells, type SuppressibleCell } from './suppression.js';

// Customer-base lifetime-value models (BG/NBD, Pareto/NBD, Gamma-Gamma, sBG) on compressed summaries.
export * from './lifetime/index.js';
