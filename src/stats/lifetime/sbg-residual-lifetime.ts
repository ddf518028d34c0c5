import { assertInput } from '../invalid-input.js';
import { normalCritical } from '../critical-value.js';
import { deltaMethodStandardError } from './fit-uncertainty.js';
import { hypergeometric2F1 } from './hypergeometric.js';
import { sbgSurvival, type SbgFit, type SbgParams } from './sbg.js';
import type { IntervalEstimate } from '../types.js';

/*
 * Discounted expected residual lifetime (Fader & Hardie 2010, "Customer-Base
 * Valuation in a Contractual Setting: The Perils of Ignoring Heterogeneity",
 * Marketing Science 29(1), eq. 6). For a customer who has made n − 1 renewals
 * and is about to decide on the n-th, counting each future period's payment
 * (1 per period, at the renewal) discounted by (1+d) per period:
 *   DERL(d | α, β, n−1) = Σ_{t≥n} [S(t)/S(n−1)] / (1+d)^(t−n)
 *                       = (β+n−1)/(α+β+n−1) · ₂F₁(1, β+n; α+β+n; 1/(1+d)).
 * Multiply by the margin per period for a residual lifetime value. With d = 0
 * it is the expected number of remaining renewals, (β+n−1)/(α−1), finite only
 * when α > 1 (Gauss's ₂F₁(…; 1)).
 */

export interface ResidualLifetimeOptions {
  /** Discount rate per period (e.g. 0.1 for 10% a year with yearly periods); 0 for undiscounted. */
  discountRate: number;
  /** Renewals already made, n − 1 ≥ 0 (0 for a customer in their first period). */
  renewals: number;
}

export function sbgDiscountedResidualLifetime({ alpha, beta }: SbgParams, { discountRate, renewals }: ResidualLifetimeOptions): number {
  assertInput(Number.isFinite(discountRate) && discountRate >= 0, `The discount rate must be ≥ 0; got ${discountRate}.`);
  assertInput(Number.isInteger(renewals) && renewals >= 0, `Renewals must be a non-negative integer; got ${renewals}.`);
  const n = renewals + 1;
  const retention = (beta + n - 1) / (alpha + beta + n - 1);
  if (discountRate === 0) return alpha > 1 ? (beta + n - 1) / (alpha - 1) : Number.POSITIVE_INFINITY;
  return retention * hypergeometric2F1(1, beta + n, alpha + beta + n, 1 / (1 + discountRate));
}

/** Expected discounted residual lifetime of a customer with `renewals` renewals, with a delta-method standard error and a log-scale interval. */
export function sbgResidualLifetimeEstimate(fit: SbgFit, options: ResidualLifetimeOptions, level = 0.95): IntervalEstimate {
  const logValues = [Math.log(fit.params.alpha), Math.log(fit.params.beta)];
  const logDerl = (theta: readonly number[]): number => Math.log(sbgDiscountedResidualLifetime({ alpha: Math.exp(theta[0] ?? 0), beta: Math.exp(theta[1] ?? 0) }, options));
  return logScaleEstimate(logDerl, logValues, fit, level);
}

/** S(t) with a delta-method standard error; the interval is capped at 1. */
export function sbgSurvivalEstimate(fit: SbgFit, t: number, level = 0.95): IntervalEstimate {
  const logValues = [Math.log(fit.params.alpha), Math.log(fit.params.beta)];
  const logS = (theta: readonly number[]): number => Math.log(sbgSurvival({ alpha: Math.exp(theta[0] ?? 0), beta: Math.exp(theta[1] ?? 0) }, t));
  const estimate = logScaleEstimate(logS, logValues, fit, level);
  return { ...estimate, interval: { ...estimate.interval, upper: Math.min(1, estimate.interval.upper) } };
}

function logScaleEstimate(logFn: (theta: readonly number[]) => number, logValues: number[], fit: SbgFit, level: number): IntervalEstimate {
  const logEstimate = logFn(logValues);
  const logSe = deltaMethodStandardError(logFn, logValues, fit.logCovariance);
  const z = normalCritical(level);
  const estimate = Math.exp(logEstimate);
  return {
    estimate,
    standardError: estimate * logSe,
    interval: { lower: Math.exp(logEstimate - z * logSe), upper: Math.exp(logEstimate + z * logSe), level },
    n: fit.n,
  };
}
