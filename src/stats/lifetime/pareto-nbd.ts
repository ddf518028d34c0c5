import { minimizeBfgs } from './bfgs.js';
import { covarianceFromHessian, hessianFromValues, parameterEstimates } from './fit-uncertainty.js';
import { assertFrequencyRows, totalCount } from './frequency-rows.js';
import { paretoNbdRowTerms, type ParetoNbdParams } from './pareto-nbd-likelihood.js';
import { commonRateTest, fitReliabilityIssues, purchaseRateIssues, signalCheck, type SignalIssue } from './signal.js';
import { DEFAULT_GRADIENT_TOLERANCE, type FitOptions, type FrequencyRow, type LifetimeFit } from './types.js';

export type ParetoNbdFit = LifetimeFit<keyof ParetoNbdParams>;

export const PARETO_NBD_PARAMETERS = ['r', 'alpha', 's', 'beta'] as const;

/** Below this share of customers expected to drop out within the mean observation window, there is no dropout. */
const NO_DROPOUT_SHARE = 1e-3;

/*
 * The gradient is by central differences: the analytic one would need ₂F₁'s
 * derivatives in its parameters. Step 1e-5 in log-parameters balances the
 * O(h²) truncation against rounding of the mean log-likelihood (both ≈ 1e-10).
 */
const GRADIENT_STEP = 1e-5;

const fromLog = (theta: readonly number[]): ParetoNbdParams => ({
  r: Math.exp(theta[0] ?? 0),
  alpha: Math.exp(theta[1] ?? 0),
  s: Math.exp(theta[2] ?? 0),
  beta: Math.exp(theta[3] ?? 0),
});

function boundaryIssues(params: ParetoNbdParams, meanAge: number): SignalIssue[] {
  const dropoutShare = -Math.expm1(-params.s * Math.log1p(meanAge / params.beta));
  const noDropout = dropoutShare < NO_DROPOUT_SHARE;
  const issues: SignalIssue[] = [];
  if (noDropout) {
    issues.push({
      code: 'no_dropout',
      kind: 'boundary',
      sentence: 'The model finds essentially no dropout: fewer than 1 customer in 1,000 is expected to leave over the observed period.',
      evidence: { dropoutShare, s: params.s, beta: params.beta, meanAge },
    });
  }
  issues.push(...purchaseRateIssues(params, noDropout));
  return issues;
}

/**
 * Maximum-likelihood Pareto/NBD on compressed rows, by BFGS in the
 * log-parameters (numerical gradient), standard errors from the inverse of a
 * second-difference Hessian.
 *
 * @example
 * const fit = fitParetoNbd(rows); // CDNOW: r ≈ 0.553, α ≈ 10.58, s ≈ 0.606, β ≈ 11.67
 */
export function fitParetoNbd(rows: readonly FrequencyRow[], options: FitOptions<keyof ParetoNbdParams> = {}): ParetoNbdFit {
  assertFrequencyRows(rows);
  const n = totalCount(rows);
  const purchases = rows.reduce((sum, row) => sum + row.count * row.x, 0);
  const exposure = rows.reduce((sum, row) => sum + row.count * row.T, 0);
  const meanAge = exposure / n;
  const start: ParetoNbdParams = { r: 1, alpha: purchases > 0 ? exposure / purchases : meanAge, s: 1, beta: meanAge, ...options.start };
  const meanNegativeLogLikelihood = (theta: readonly number[]): number => {
    const params = fromLog(theta);
    let total = 0;
    for (const row of rows) total -= row.count * paretoNbdRowTerms(params, row).logLikelihood;
    return total / n;
  };
  const objective = (theta: readonly number[]): { value: number; gradient: number[] } => ({
    value: meanNegativeLogLikelihood(theta),
    gradient: theta.map((_, j) => {
      const plus = meanNegativeLogLikelihood(theta.map((v, k) => (k === j ? v + GRADIENT_STEP : v)));
      const minus = meanNegativeLogLikelihood(theta.map((v, k) => (k === j ? v - GRADIENT_STEP : v)));
      return (plus - minus) / (2 * GRADIENT_STEP);
    }),
  });
  const result = minimizeBfgs(objective, PARETO_NBD_PARAMETERS.map((name) => Math.log(start[name])), {
    gradientTolerance: options.gradientTolerance ?? DEFAULT_GRADIENT_TOLERANCE,
    maxIterations: options.maxIterations ?? 1000,
  });
  const params = fromLog(result.x);
  const logLikelihood = -result.value * n;
  const logCovariance = covarianceFromHessian(hessianFromValues((theta) => meanNegativeLogLikelihood(theta) * n, result.x));
  return {
    model: 'pareto-nbd',
    params: { ...params },
    parameters: parameterEstimates(PARETO_NBD_PARAMETERS, result.x, logCovariance, options.level ?? 0.95),
    logLikelihood,
    converged: result.converged,
    gradientNorm: result.gradientNorm,
    iterations: result.iterations,
    n,
    rows: rows.length,
    logCovariance,
    signal: signalCheck([
      ...fitReliabilityIssues(result.converged, result.gradientNorm, result.iterations, logCovariance !== null),
      commonRateTest(rows, logLikelihood),
      ...boundaryIssues(params, meanAge),
    ]),
  };
}
