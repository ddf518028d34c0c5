import { minimizeBfgs } from './bfgs.js';
import { covarianceFromHessian, hessianFromGradient, parameterEstimates } from './fit-uncertainty.js';
import { assertFrequencyRows, totalCount } from './frequency-rows.js';
import { paretoNbdRowGradient } from './pareto-nbd-gradient.js';
import type { ParetoNbdParams } from './pareto-nbd-likelihood.js';
import { commonRateTest, fitReliabilityIssues, purchaseRateIssues, signalCheck, type SignalIssue } from './signal.js';
import { DEFAULT_GRADIENT_TOLERANCE, type FitOptions, type FrequencyRow, type LifetimeFit } from './types.js';

export type ParetoNbdFit = LifetimeFit<keyof ParetoNbdParams>;

export const PARETO_NBD_PARAMETERS = ['r', 'alpha', 's', 'beta'] as const;

/** Below this share of customers expected to drop out within the mean observation window, there is no dropout. */
const NO_DROPOUT_SHARE = 1e-3;

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
 * log-parameters with the analytic gradient; standard errors from the inverse
 * of the Hessian by central differences of that gradient.
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
  // Value and analytic gradient in one pass over the rows (pareto-nbd-gradient.ts).
  const objective = (theta: readonly number[]): { value: number; gradient: number[] } => {
    const params = fromLog(theta);
    let value = 0;
    const gradient = [0, 0, 0, 0];
    for (const row of rows) {
      const terms = paretoNbdRowGradient(params, row);
      value -= row.count * terms.logLikelihood;
      for (let j = 0; j < 4; j += 1) gradient[j] = (gradient[j] ?? 0) - row.count * (terms.gradient[j] ?? 0);
    }
    return { value: value / n, gradient: gradient.map((g) => g / n) };
  };
  const result = minimizeBfgs(objective, PARETO_NBD_PARAMETERS.map((name) => Math.log(start[name])), {
    gradientTolerance: options.gradientTolerance ?? DEFAULT_GRADIENT_TOLERANCE,
    maxIterations: options.maxIterations ?? 1000,
  });
  const params = fromLog(result.x);
  const logLikelihood = -result.value * n;
  const logCovariance = covarianceFromHessian(hessianFromGradient((theta) => objective(theta).gradient.map((g) => g * n), result.x));
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
