/*
 * Customer-base lifetime-value models (Fader & Hardie): pure functions over
 * compressed summaries that SQL has counted (unique (x, tₓ, T) rows with their
 * multiplicity, repeat buyers' (x, m̄), cohort survival counts).
 */
export type { FitOptions, FrequencyRow, LifetimeFit, LifetimeModel, ParameterEstimate, PurchaseHistory } from './types.js';
export { signalCheck, commonRateTest, SIGNAL_ALPHA, type SignalCheck, type SignalCode, type SignalIssue, type SignalKind } from './signal.js';
export { compressFrequencyRows } from './frequency-rows.js';
export { DEFAULT_GRADIENT_TOLERANCE } from './types.js';

export { minimizeBfgs, type BfgsOptions, type BfgsResult, type BfgsStopReason, type Objective, type ValueAndGradient } from './bfgs.js';
export { gaussHypergeometricSeries, hypergeometric2F1 } from './hypergeometric.js';
export { integrateAdaptive } from './quadrature.js';
export { digamma } from './gamma-ratios.js';
export { deltaMethodStandardError } from './fit-uncertainty.js';

export { BG_NBD_PARAMETERS, bgNbdLogLikelihood, bgNbdLogLikelihoodGradient, fitBgNbd, type BgNbdFit, type BgNbdParams } from './bg-nbd.js';
export { bgNbdExpectedPurchases, bgNbdExpectedPurchasesIfAlive, bgNbdExpectedPurchasesNewCustomer, bgNbdProbabilityAlive, bgNbdProbabilityOfPurchases } from './bg-nbd-expectations.js';

export { paretoNbdLogLikelihood, type ParetoNbdParams } from './pareto-nbd-likelihood.js';
export { paretoNbdLogLikelihoodGradient } from './pareto-nbd-gradient.js';
export { PARETO_NBD_PARAMETERS, fitParetoNbd, type ParetoNbdFit } from './pareto-nbd.js';
export { paretoNbdExpectedPurchases, paretoNbdExpectedPurchasesNewCustomer, paretoNbdProbabilityAlive } from './pareto-nbd-expectations.js';

export { GAMMA_GAMMA_PARAMETERS, fitGammaGamma, gammaGammaExpectedSpend, gammaGammaLogLikelihood, type GammaGammaFit, type GammaGammaParams, type SpendRow } from './gamma-gamma.js';

export { SBG_PARAMETERS, fitShiftedBetaGeometric, sbgLogLikelihood, sbgRetentionCurve, sbgRetentionRate, sbgSurvival, type SbgFit, type SbgParams } from './sbg.js';
export { sbgDiscountedResidualLifetime, sbgResidualLifetimeEstimate, sbgSurvivalEstimate, type ResidualLifetimeOptions } from './sbg-residual-lifetime.js';

export { holdoutComparison, MINIMUM_HOLDOUT_SKILL, type FrequencyBin, type HoldoutComparison, type HoldoutRow } from './holdout-table.js';
export { customerLifetimeValue, discountedExpectedPurchases, WEEKS_PER_MONTH, type LifetimeValueHorizon } from './lifetime-value.js';
