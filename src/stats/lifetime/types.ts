import type { Interval } from '../types.js';
import type { SignalCheck } from './signal.js';

/**
 * One compressed row of purchase histories: `count` customers who share the
 * same repeat-purchase count `x`, recency `tx` (time of the last repeat
 * purchase, measured from the first purchase) and age `T` (time from the first
 * purchase to the end of calibration). `tx` and `T` share one time unit, and
 * every rate, horizon and expectation is in that unit (CDNOW: weeks).
 * SQL counts these as `GROUP BY x, tx, T`.
 */
export interface FrequencyRow {
  x: number;
  tx: number;
  T: number;
  count: number;
}

/** A customer's purchase history without multiplicity. */
export type PurchaseHistory = Pick<FrequencyRow, 'x' | 'tx' | 'T'>;

/** A fitted parameter on its natural (positive) scale. */
export interface ParameterEstimate {
  estimate: number;
  /** Delta method from the log-scale standard error: estimate × se(log estimate). NaN when the Hessian is not invertible. */
  standardError: number;
  /** exp(log estimate ± z·se(log estimate)): the interval stays positive, as the parameter must. */
  interval: Interval;
}

export type LifetimeModel = 'bg-nbd' | 'pareto-nbd' | 'gamma-gamma' | 'sbg';

/**
 * What every lifetime-model fit returns: the estimates, their uncertainty,
 * how the optimizer ended, and whether the data carried a signal at all.
 */
export interface LifetimeFit<Name extends string> {
  model: LifetimeModel;
  params: Record<Name, number>;
  parameters: Record<Name, ParameterEstimate>;
  logLikelihood: number;
  /** The optimizer's gradient test passed (largest |∂(−LL/n)/∂ log θ| ≤ the tolerance). */
  converged: boolean;
  /** Largest absolute gradient component of the mean negative log-likelihood in log-parameters, at the estimate. */
  gradientNorm: number;
  iterations: number;
  /** Customers (or cohort members) behind the fit: the sum of row counts. */
  n: number;
  /** Distinct rows the likelihood was summed over. */
  rows: number;
  /** Covariance of the log-parameters (inverse Hessian of −LL), in the order of `params`; null when not invertible. */
  logCovariance: number[][] | null;
  signal: SignalCheck;
}

/*
 * Default stopping rule: the largest gradient component of the MEAN negative
 * log-likelihood in log-parameters below 1e-7. The remaining offset from the
 * maximum is then about g·√(n/h) standard errors (h the per-customer
 * curvature, ≈ 0.01 for the weakest BG/NBD direction on CDNOW): 7e-5 SE at
 * n = 5,000 and 1e-3 SE at n = 10⁶, while tighter targets run into the
 * rounding floor of a sum over thousands of rows and make the line search
 * fail near the optimum.
 */
export const DEFAULT_GRADIENT_TOLERANCE = 1e-7;

export interface FitOptions<Name extends string> {
  /** Starting values on the natural scale. */
  start?: Partial<Record<Name, number>>;
  /** Confidence level of the parameter intervals. Default 0.95. */
  level?: number;
  /** Gradient tolerance on the mean negative log-likelihood in log-parameters (DEFAULT_GRADIENT_TOLERANCE). */
  gradientTolerance?: number;
  maxIterations?: number;
}
