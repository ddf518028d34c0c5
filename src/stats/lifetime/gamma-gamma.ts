import { assertInput } from '../invalid-input.js';
import { minimizeBfgs } from './bfgs.js';
import { covarianceFromHessian, hessianFromGradient, parameterEstimates } from './fit-uncertainty.js';
import { totalCount } from './frequency-rows.js';
import { digamma, digammaDifference, logRising } from './gamma-ratios.js';
import { logGamma } from '../distributions/log-gamma.js';
import { fitReliabilityIssues, signalCheck, type SignalIssue } from './signal.js';
import { DEFAULT_GRADIENT_TOLERANCE, type FitOptions, type LifetimeFit } from './types.js';

/*
 * Gamma-Gamma model of spend per transaction (Fader, Hardie & Lee 2005b, "RFM
 * and CLV", JMR 42(4), appendix; Fader & Hardie 2013, note 025): a customer's
 * transaction values are Gamma(p, ν), their ν ~ Gamma(q, γ) across customers.
 * From x transactions with mean m̄, note 025 eq. 3:
 *   ln L = lnΓ(px+q) − lnΓ(px) − lnΓ(q) + q ln γ + (px−1) ln m̄ + px ln x − (px+q) ln(γ + x m̄),
 * and E(M | x, m̄) = p(γ + x m̄)/(px + q − 1): a weighted average of the
 * population mean pγ/(q−1) and the customer's own m̄ (eq. 5).
 * As in the sources, x counts repeat transactions and m̄ averages them; it is
 * fitted on customers with x > 0 only.
 */

export interface GammaGammaParams {
  p: number;
  q: number;
  gamma: number;
}

/** `count` customers with x transactions averaging `meanSpend` each. */
export interface SpendRow {
  x: number;
  meanSpend: number;
  count: number;
}

export type GammaGammaFit = LifetimeFit<keyof GammaGammaParams>;

export const GAMMA_GAMMA_PARAMETERS = ['p', 'q', 'gamma'] as const;

/** Above this q the spread of customers' mean spend is negligible (the coefficient of variation of ν, 1/√q, is under 10%). */
const NO_HETEROGENEITY_SHAPE = 100;
/** The model assumes spend independent of frequency; FHL05b's CDNOW check found r = 0.11. */
const DEPENDENCE_CORRELATION = 0.3;

function rowTerms({ p, q, gamma }: GammaGammaParams, { x, meanSpend }: SpendRow): { logLikelihood: number; gradient: [number, number, number] } {
  const px = p * x;
  const pooled = gamma + x * meanSpend;
  // q ln γ − q ln(γ + x m̄) written as −q·log1p(x m̄/γ), and lnΓ(px+q) − lnΓ(q) as one
  // rising factorial, so that nothing cancels when q and γ grow together (no spread in ν).
  const shrink = Math.log1p((x * meanSpend) / gamma);
  const logLikelihood = logRising(q, px) - logGamma(px) - q * shrink + (px - 1) * Math.log(meanSpend) + px * Math.log(x) - px * Math.log(pooled);
  const dP = px * (digamma(px + q) - digamma(px) + Math.log((meanSpend * x) / pooled));
  const dQ = q * (digammaDifference(q, px) - shrink);
  // q − γ(px+q)/(γ+x m̄), rearranged so that the two ≈ q-sized terms never meet.
  const dGamma = (x * (q * meanSpend - gamma * p)) / pooled;
  return { logLikelihood, gradient: [dP, dQ, dGamma] };
}

function assertSpendRows(rows: readonly SpendRow[]): void {
  assertInput(rows.length > 0, 'The Gamma-Gamma model needs at least one repeat buyer.');
  for (const { x, meanSpend, count } of rows) {
    assertInput(Number.isInteger(x) && x > 0, `Gamma-Gamma rows need x ≥ 1 transactions; got ${x}.`);
    assertInput(Number.isFinite(meanSpend) && meanSpend > 0, `Mean spend must be positive; got ${meanSpend}.`);
    assertInput(Number.isFinite(count) && count > 0, `Row counts must be positive; got ${count}.`);
  }
}

const fromLog = (theta: readonly number[]): GammaGammaParams => ({ p: Math.exp(theta[0] ?? 0), q: Math.exp(theta[1] ?? 0), gamma: Math.exp(theta[2] ?? 0) });

/** Σ count · ln L. */
export function gammaGammaLogLikelihood(params: GammaGammaParams, rows: readonly SpendRow[]): number {
  assertSpendRows(rows);
  return rows.reduce((sum, row) => sum + row.count * rowTerms(params, row).logLikelihood, 0);
}

/**
 * E(M | x, m̄): expected spend per future transaction. For x = 0 (no repeat
 * purchase to learn from) it is the population mean pγ/(q−1), infinite when q ≤ 1.
 *
 * @example gammaGammaExpectedSpend({ p: 6.25, q: 3.74, gamma: 15.44 }, { x: 2, meanSpend: 22.35 }) // ≈ 24.65
 */
export function gammaGammaExpectedSpend({ p, q, gamma }: GammaGammaParams, { x, meanSpend }: { x: number; meanSpend: number }): number {
  assertInput(Number.isInteger(x) && x >= 0, `x must be a non-negative integer; got ${x}.`);
  if (x === 0) return q > 1 ? (p * gamma) / (q - 1) : Number.POSITIVE_INFINITY;
  assertInput(Number.isFinite(meanSpend) && meanSpend > 0, `Mean spend must be positive; got ${meanSpend}.`);
  return (p * (gamma + x * meanSpend)) / (p * x + q - 1);
}

/** Pearson correlation of x and m̄ across customers (rows weighted by count); NaN when either is constant. */
function weightedCorrelation(rows: readonly SpendRow[]): number {
  const n = totalCount(rows);
  const meanX = rows.reduce((sum, row) => sum + row.count * row.x, 0) / n;
  const meanM = rows.reduce((sum, row) => sum + row.count * row.meanSpend, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (const { x, meanSpend, count } of rows) {
    sxy += count * (x - meanX) * (meanSpend - meanM);
    sxx += count * (x - meanX) ** 2;
    syy += count * (meanSpend - meanM) ** 2;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : Number.NaN;
}

function spendIssues(params: GammaGammaParams, rows: readonly SpendRow[]): SignalIssue[] {
  const issues: SignalIssue[] = [];
  if (params.q <= 1) {
    issues.push({
      code: 'spend_mean_infinite',
      kind: 'boundary',
      sentence: 'The fitted spread of customers’ spend is so wide that the average spend per transaction is not finite; spend forecasts are unreliable.',
      evidence: { q: params.q },
    });
  }
  if (params.q > NO_HETEROGENEITY_SHAPE) {
    issues.push({
      code: 'no_spend_heterogeneity',
      kind: 'no_signal',
      sentence: 'Customers do not differ in typical spend beyond chance, so a customer’s past spend does not change the forecast: everyone gets the average.',
      evidence: { q: params.q, populationMean: (params.p * params.gamma) / (params.q - 1) },
    });
  }
  const correlation = weightedCorrelation(rows);
  if (Math.abs(correlation) > DEPENDENCE_CORRELATION) {
    issues.push({
      code: 'spend_depends_on_frequency',
      kind: 'assumption',
      sentence: 'Spend per transaction moves with purchase frequency, which the Gamma-Gamma model assumes it does not; lifetime values combining the two are biased.',
      evidence: { correlation },
    });
  }
  return issues;
}

/**
 * Maximum-likelihood Gamma-Gamma on repeat buyers' (x, m̄) rows, by BFGS in
 * log-parameters with the analytic gradient.
 */
export function fitGammaGamma(rows: readonly SpendRow[], options: FitOptions<keyof GammaGammaParams> = {}): GammaGammaFit {
  assertSpendRows(rows);
  const n = totalCount(rows);
  const meanSpend = rows.reduce((sum, row) => sum + row.count * row.meanSpend, 0) / n;
  const start: GammaGammaParams = { p: 1, q: 2, gamma: meanSpend, ...options.start };
  const objective = (theta: readonly number[]): { value: number; gradient: number[] } => {
    const params = fromLog(theta);
    let value = 0;
    const gradient = [0, 0, 0];
    for (const row of rows) {
      const terms = rowTerms(params, row);
      value -= row.count * terms.logLikelihood;
      for (let i = 0; i < 3; i += 1) gradient[i] = (gradient[i] ?? 0) - row.count * (terms.gradient[i] ?? 0);
    }
    return { value: value / n, gradient: gradient.map((g) => g / n) };
  };
  const result = minimizeBfgs(objective, GAMMA_GAMMA_PARAMETERS.map((name) => Math.log(start[name])), {
    gradientTolerance: options.gradientTolerance ?? DEFAULT_GRADIENT_TOLERANCE,
    maxIterations: options.maxIterations ?? 1000,
  });
  const params = fromLog(result.x);
  const logCovariance = covarianceFromHessian(hessianFromGradient((theta) => objective(theta).gradient.map((g) => g * n), result.x));
  return {
    model: 'gamma-gamma',
    params: { ...params },
    parameters: parameterEstimates(GAMMA_GAMMA_PARAMETERS, result.x, logCovariance, options.level ?? 0.95),
    logLikelihood: -result.value * n,
    converged: result.converged,
    gradientNorm: result.gradientNorm,
    iterations: result.iterations,
    n,
    rows: rows.length,
    logCovariance,
    signal: signalCheck([...fitReliabilityIssues(result.converged, result.gradientNorm, result.iterations, logCovariance !== null), ...spendIssues(params, rows)]),
  };
}
