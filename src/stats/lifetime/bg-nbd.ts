import { minimizeBfgs } from './bfgs.js';
import { covarianceFromHessian, hessianFromGradient, parameterEstimates } from './fit-uncertainty.js';
import { assertFrequencyRows, totalCount } from './frequency-rows.js';
import { digammaDifference, logAddExp, logRising } from './gamma-ratios.js';
import { commonRateTest, fitReliabilityIssues, purchaseRateIssues, signalCheck, type SignalIssue } from './signal.js';
import { DEFAULT_GRADIENT_TOLERANCE, type FitOptions, type FrequencyRow, type LifetimeFit, type PurchaseHistory } from './types.js';

/*
 * BG/NBD (Fader, Hardie & Lee 2005, "Counting Your Customers the Easy Way",
 * Marketing Science 24(2), eq. 6): while alive a customer buys at Poisson rate
 * λ ~ Gamma(r, α); after each purchase they drop out with probability
 * p ~ Beta(a, b). Per customer
 *   L = B(a, b+x)/B(a, b) · Γ(r+x)αʳ / (Γ(r)(α+T)^(r+x))
 *     + [x > 0] B(a+1, b+x−1)/B(a, b) · Γ(r+x)αʳ / (Γ(r)(α+tₓ)^(r+x)).
 * It is summed in the form
 *   ln L = ln(r)ₓ + ln(b)ₓ − ln(a+b)ₓ + ln(e^u₁ + e^u₂),
 *   u₁ = −r·log1p(T/α) − x ln(α+T),  u₂ = ln(a/(b+x−1)) − r·log1p(tₓ/α) − x ln(α+tₓ),
 * which stays accurate when r and α run off together (a common purchase rate)
 * where the textbook form subtracts numbers of size r·ln α.
 */

export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

export type BgNbdFit = LifetimeFit<keyof BgNbdParams>;

export const BG_NBD_PARAMETERS = ['r', 'alpha', 'a', 'b'] as const;

/** Below this mean dropout probability per purchase, a/(a+b), the fit has no dropout to speak of. */
const NO_DROPOUT_PROBABILITY = 1e-3;
const MIN_REPEAT_BUYERS = 20;

interface RowTerms {
  logLikelihood: number;
  /** ∂ ln L / ∂(ln r, ln α, ln a, ln b). */
  gradient: [number, number, number, number];
}

function rowTerms({ r, alpha, a, b }: BgNbdParams, { x, tx, T }: PurchaseHistory): RowTerms {
  const u1 = -r * Math.log1p(T / alpha) - x * Math.log(alpha + T);
  const u2 = x > 0 ? Math.log(a / (b + x - 1)) - r * Math.log1p(tx / alpha) - x * Math.log(alpha + tx) : Number.NEGATIVE_INFINITY;
  const mixture = logAddExp(u1, u2);
  const w1 = Math.exp(u1 - mixture);
  const w2 = x > 0 ? Math.exp(u2 - mixture) : 0;
  const logLikelihood = logRising(r, x) + logRising(b, x) - logRising(a + b, x) + mixture;
  const dR = r * (digammaDifference(r, x) - w1 * Math.log1p(T / alpha) - w2 * Math.log1p(tx / alpha));
  const dAlpha = (w1 * (r * T - x * alpha)) / (alpha + T) + (x > 0 ? (w2 * (r * tx - x * alpha)) / (alpha + tx) : 0);
  const abDifference = digammaDifference(a + b, x);
  const dA = -a * abDifference + w2;
  const dB = b * (digammaDifference(b, x) - abDifference) - (x > 0 ? (w2 * b) / (b + x - 1) : 0);
  return { logLikelihood, gradient: [dR, dAlpha, dA, dB] };
}

const fromLog = (theta: readonly number[]): BgNbdParams => ({
  r: Math.exp(theta[0] ?? 0),
  alpha: Math.exp(theta[1] ?? 0),
  a: Math.exp(theta[2] ?? 0),
  b: Math.exp(theta[3] ?? 0),
});

/** Σ count · ln L over the rows. */
export function bgNbdLogLikelihood(params: BgNbdParams, rows: readonly FrequencyRow[]): number {
  return rows.reduce((sum, row) => sum + row.count * rowTerms(params, row).logLikelihood, 0);
}

/** ∂(Σ count · ln L)/∂(ln r, ln α, ln a, ln b), analytic. */
export function bgNbdLogLikelihoodGradient(params: BgNbdParams, rows: readonly FrequencyRow[]): [number, number, number, number] {
  const total: [number, number, number, number] = [0, 0, 0, 0];
  for (const row of rows) {
    const { gradient } = rowTerms(params, row);
    for (let i = 0; i < 4; i += 1) total[i] = (total[i] ?? 0) + row.count * (gradient[i] ?? 0);
  }
  return total;
}

function boundaryIssues(params: BgNbdParams): SignalIssue[] {
  const dropout = params.a / (params.a + params.b);
  const issues: SignalIssue[] = [];
  const noDropout = dropout < NO_DROPOUT_PROBABILITY;
  if (noDropout) {
    issues.push({
      code: 'no_dropout',
      kind: 'boundary',
      sentence: 'The model finds essentially no dropout: fewer than 1 purchase in 1,000 is followed by the customer leaving.',
      evidence: { meanDropoutProbability: dropout, a: params.a, b: params.b },
    });
  }
  issues.push(...purchaseRateIssues(params, noDropout));
  return issues;
}

/**
 * Maximum-likelihood BG/NBD on compressed rows, by BFGS in the log-parameters
 * with the analytic gradient; standard errors from the inverse Hessian.
 *
 * @example
 * const fit = fitBgNbd([{ x: 2, tx: 30.43, T: 38.86, count: 1 }, ...rows]);
 * fit.params.r; fit.parameters.a.interval; fit.signal.hasSignal;
 */
export function fitBgNbd(rows: readonly FrequencyRow[], options: FitOptions<keyof BgNbdParams> = {}): BgNbdFit {
  assertFrequencyRows(rows);
  const n = totalCount(rows);
  const purchases = rows.reduce((sum, row) => sum + row.count * row.x, 0);
  const exposure = rows.reduce((sum, row) => sum + row.count * row.T, 0);
  const start: BgNbdParams = { r: 1, alpha: purchases > 0 ? exposure / purchases : exposure / n, a: 1, b: 1, ...options.start };
  const objective = (theta: readonly number[]): { value: number; gradient: number[] } => {
    const params = fromLog(theta);
    let value = 0;
    const gradient = [0, 0, 0, 0];
    for (const row of rows) {
      const terms = rowTerms(params, row);
      value -= row.count * terms.logLikelihood;
      for (let i = 0; i < 4; i += 1) gradient[i] = (gradient[i] ?? 0) - row.count * (terms.gradient[i] ?? 0);
    }
    return { value: value / n, gradient: gradient.map((g) => g / n) };
  };
  const result = minimizeBfgs(objective, BG_NBD_PARAMETERS.map((name) => Math.log(start[name])), {
    gradientTolerance: options.gradientTolerance ?? DEFAULT_GRADIENT_TOLERANCE,
    maxIterations: options.maxIterations ?? 1000,
  });
  const params = fromLog(result.x);
  const logLikelihood = -result.value * n;
  const hessian = hessianFromGradient((theta) => objective(theta).gradient.map((g) => g * n), result.x);
  const logCovariance = covarianceFromHessian(hessian);
  const repeatBuyers = rows.reduce((sum, row) => sum + (row.x > 0 ? row.count : 0), 0);
  const fewRepeaters: SignalIssue | null =
    repeatBuyers < MIN_REPEAT_BUYERS
      ? {
          code: 'too_few_repeat_buyers',
          kind: 'unreliable',
          sentence: `Only ${repeatBuyers} customers bought more than once; the model needs repeat purchases to learn from.`,
          evidence: { repeatBuyers, customers: n },
        }
      : null;
  return {
    model: 'bg-nbd',
    params: { ...params },
    parameters: parameterEstimates(BG_NBD_PARAMETERS, result.x, logCovariance, options.level ?? 0.95),
    logLikelihood,
    converged: result.converged,
    gradientNorm: result.gradientNorm,
    iterations: result.iterations,
    n,
    rows: rows.length,
    logCovariance,
    signal: signalCheck([
      ...fitReliabilityIssues(result.converged, result.gradientNorm, result.iterations, logCovariance !== null),
      fewRepeaters,
      commonRateTest(rows, logLikelihood),
      ...boundaryIssues(params),
    ]),
  };
}
