import { chiSquareSf } from '../distributions/chi-square.js';
import { assertInput } from '../invalid-input.js';
import { minimizeBfgs } from './bfgs.js';
import { covarianceFromHessian, hessianFromGradient, parameterEstimates } from './fit-uncertainty.js';
import { digammaDifference, logRising } from './gamma-ratios.js';
import { SIGNAL_ALPHA, fitReliabilityIssues, signalCheck, type SignalIssue } from './signal.js';
import { DEFAULT_GRADIENT_TOLERANCE, type FitOptions, type LifetimeFit } from './types.js';

/*
 * Shifted-beta-geometric (Fader & Hardie 2007, "How to Project Customer
 * Retention", J. Interactive Marketing 21(1), eqs. 5-7 and 10): each customer
 * of a contract cohort churns at the end of a period with probability θ,
 * θ ~ Beta(α, β) across customers. With T the period of churn,
 *   P(T = t) = B(α+1, β+t−1)/B(α, β) = α/(α+β) · (β)_{t−1}/(α+β+1)_{t−1},
 *   S(t) = P(T > t) = B(α, β+t)/B(α, β) = (β)_t/(α+β)_t,
 * and the retention rate of period t, S(t)/S(t−1) = (β+t−1)/(α+β+t−1), rises
 * with tenure because the likely churners leave first.
 */

export interface SbgParams {
  alpha: number;
  beta: number;
}

export type SbgFit = LifetimeFit<keyof SbgParams>;

export const SBG_PARAMETERS = ['alpha', 'beta'] as const;

const logChurnAt = ({ alpha, beta }: SbgParams, t: number): number => Math.log(alpha / (alpha + beta)) + logRising(beta, t - 1) - logRising(alpha + beta + 1, t - 1);
const logSurvival = ({ alpha, beta }: SbgParams, t: number): number => logRising(beta, t) - logRising(alpha + beta, t);

function assertAlive(alive: readonly number[]): void {
  assertInput(alive.length >= 2, 'A cohort survival table needs the starting size and at least one later period.');
  alive.forEach((value, t) => {
    assertInput(Number.isInteger(value) && value >= 0, `Alive counts must be non-negative integers; got ${value} at period ${t}.`);
    assertInput(t === 0 || value <= (alive[t - 1] ?? 0), `Alive counts cannot rise: period ${t} has ${value} after ${alive[t - 1]}.`);
  });
  assertInput((alive[0] ?? 0) > 0, 'The cohort must start with at least one customer.');
}

/** S(t): the share of the cohort still active after t periods. */
export function sbgSurvival(params: SbgParams, t: number): number {
  assertInput(Number.isInteger(t) && t >= 0, `The period must be a non-negative integer; got ${t}.`);
  return Math.exp(logSurvival(params, t));
}

/** r(t) = S(t)/S(t−1): the share of customers active in period t−1 who renew for period t (t ≥ 1). */
export function sbgRetentionRate({ alpha, beta }: SbgParams, t: number): number {
  assertInput(Number.isInteger(t) && t >= 1, `The period must be an integer ≥ 1; got ${t}.`);
  return (beta + t - 1) / (alpha + beta + t - 1);
}

/** Survival and retention for periods 1…periods. */
export function sbgRetentionCurve(params: SbgParams, periods: number): { period: number; survival: number; retention: number }[] {
  return Array.from({ length: periods }, (_, i) => ({ period: i + 1, survival: sbgSurvival(params, i + 1), retention: sbgRetentionRate(params, i + 1) }));
}

/** Log-likelihood of a survival table: each period's churners at ln P(T = t), the last period's survivors at ln S(k). */
export function sbgLogLikelihood(params: SbgParams, alive: readonly number[]): number {
  assertAlive(alive);
  let total = 0;
  for (let t = 1; t < alive.length; t += 1) total += ((alive[t - 1] ?? 0) - (alive[t] ?? 0)) * logChurnAt(params, t);
  return total + (alive[alive.length - 1] ?? 0) * logSurvival(params, alive.length - 1);
}

function logLikelihoodGradient({ alpha, beta }: SbgParams, alive: readonly number[]): [number, number] {
  let dAlpha = 0;
  let dBeta = 0;
  for (let t = 1; t < alive.length; t += 1) {
    const lost = (alive[t - 1] ?? 0) - (alive[t] ?? 0);
    if (lost === 0) continue;
    const shared = digammaDifference(alpha + beta + 1, t - 1);
    dAlpha += lost * (1 / alpha - 1 / (alpha + beta) - shared);
    dBeta += lost * (-1 / (alpha + beta) + digammaDifference(beta, t - 1) - shared);
  }
  const k = alive.length - 1;
  const survivors = alive[k] ?? 0;
  const total = digammaDifference(alpha + beta, k);
  dAlpha += survivors * -total;
  dBeta += survivors * (digammaDifference(beta, k) - total);
  return [alpha * dAlpha, beta * dBeta];
}

/**
 * Likelihood-ratio test against a constant churn rate (the geometric model,
 * sBG's limit as α, β → ∞ with α/(α+β) fixed). The null is on the boundary,
 * so χ²(1) is conservative.
 */
function constantChurnIssue(alive: readonly number[], logLikelihood: number): SignalIssue | null {
  let churned = 0;
  let atRisk = 0;
  for (let t = 1; t < alive.length; t += 1) {
    churned += (alive[t - 1] ?? 0) - (alive[t] ?? 0);
    atRisk += alive[t - 1] ?? 0;
  }
  const churn = churned / atRisk;
  const nullLogLikelihood = (churned > 0 ? churned * Math.log(churn) : 0) + (atRisk - churned > 0 ? (atRisk - churned) * Math.log1p(-churn) : 0);
  const statistic = Math.max(0, 2 * (logLikelihood - nullLogLikelihood));
  const pValue = chiSquareSf(statistic, 1);
  if (pValue <= SIGNAL_ALPHA) return null;
  return {
    code: 'constant_churn',
    kind: 'boundary',
    sentence: 'Retention does not rise detectably with tenure: one churn rate for every customer fits as well, so the projection is a plain geometric decay.',
    evidence: { statistic, pValue, churnRate: churn },
  };
}

/**
 * Maximum-likelihood sBG on a cohort's survival counts: `alive[0]` customers
 * at the start, `alive[t]` still active at the start of period t + 1 (so
 * alive[t−1] − alive[t] churned in period t, and the last entry is censored).
 *
 * @example fitShiftedBetaGeometric([1000, 869, 743, 653, 593, 551, 517, 491]) // α ≈ 0.668, β ≈ 3.806
 */
export function fitShiftedBetaGeometric(alive: readonly number[], options: FitOptions<keyof SbgParams> = {}): SbgFit {
  assertAlive(alive);
  const n = alive[0] ?? 0;
  const start: SbgParams = { alpha: 1, beta: 1, ...options.start };
  const toParams = (theta: readonly number[]): SbgParams => ({ alpha: Math.exp(theta[0] ?? 0), beta: Math.exp(theta[1] ?? 0) });
  const objective = (theta: readonly number[]): { value: number; gradient: number[] } => {
    const params = toParams(theta);
    return { value: -sbgLogLikelihood(params, alive) / n, gradient: logLikelihoodGradient(params, alive).map((g) => -g / n) };
  };
  const result = minimizeBfgs(objective, [Math.log(start.alpha), Math.log(start.beta)], {
    gradientTolerance: options.gradientTolerance ?? DEFAULT_GRADIENT_TOLERANCE,
    maxIterations: options.maxIterations ?? 1000,
  });
  const params = toParams(result.x);
  const logLikelihood = -result.value * n;
  const logCovariance = covarianceFromHessian(hessianFromGradient((theta) => objective(theta).gradient.map((g) => g * n), result.x));
  return {
    model: 'sbg',
    params: { ...params },
    parameters: parameterEstimates(SBG_PARAMETERS, result.x, logCovariance, options.level ?? 0.95),
    logLikelihood,
    converged: result.converged,
    gradientNorm: result.gradientNorm,
    iterations: result.iterations,
    n,
    rows: alive.length - 1,
    logCovariance,
    signal: signalCheck([...fitReliabilityIssues(result.converged, result.gradientNorm, result.iterations, logCovariance !== null), constantChurnIssue(alive, logLikelihood)]),
  };
}
