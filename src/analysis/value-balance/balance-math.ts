import { SymmetricSolver, tCritical, tSf, type Interval } from '../../stats/index.js';

/**
 * The fair-value line's sufficient statistics over the customers in the fit.
 * Customer i paid y_i over m_i months and has value axes x_i = (1, v_i, ...);
 * the line is the least-squares fit of price per month p_i = y_i / m_i on
 * x_i weighted by m_i, i.e. it solves Σ m x x' β = Σ x y.
 */
export interface LineSums {
  n: number;
  /** A = Σ m·x·x' (x_0 = 1, so A[0][0] = Σ m). */
  a: number[][];
  /** Σ x·y. */
  b: number[];
  /** Σ y, Σ y², Σ m², Σ y·m: the overall price's ratio estimate. */
  paid: number;
  paidSquares: number;
  monthsSquares: number;
  paidMonths: number;
  /** Σ y²/m = Σ m·p²: the weighted total sum of squares. */
  paidSquaresPerMonth: number;
}

export interface FairValueLine {
  /** `intercept`, then the axes. */
  names: string[];
  coefficients: number[];
  /** A⁻¹. */
  inverse: number[][];
  n: number;
  months: number;
  /** Σ y / Σ m: the mean price per customer-month of the customers in the fit. */
  meanPrice: number;
  /** Σ m·x / Σ m: exposure-weighted means of the axes (index 0 is 1). */
  means: number[];
  /** Weighted R²: the share of the variation in price per month (weighted by months) the axes account for. */
  rSquared: number;
}

/** The line from its sums; throws CollinearPredictorsError when an axis is constant. */
export function fitLine(s: LineSums, names: readonly string[]): FairValueLine {
  const solver = SymmetricSolver.factor(s.a, names);
  const coefficients = solver.solve(s.b);
  const months = s.a[0]?.[0] ?? 0;
  const total = s.paidSquaresPerMonth - (s.paid * s.paid) / months;
  const explained = coefficients.reduce((sum, c, j) => sum + c * (s.b[j] ?? 0), 0) - (s.paid * s.paid) / months;
  return {
    names: [...names],
    coefficients,
    inverse: solver.inverse(),
    n: s.n,
    months,
    meanPrice: s.paid / months,
    means: (s.a[0] ?? []).map((x) => x / months),
    rSquared: total > 0 ? Math.min(1, Math.max(0, explained / total)) : 0,
  };
}

/** The line's price at axis values x (x_0 = 1). */
export function linePrice(line: Pick<FairValueLine, 'coefficients'>, x: readonly number[]): number {
  return line.coefficients.reduce((sum, c, j) => sum + c * (x[j] ?? 0), 0);
}

function times(m: readonly (readonly number[])[], v: readonly number[]): number[] {
  return m.map((row) => row.reduce((sum, x, j) => sum + x * (v[j] ?? 0), 0));
}

function dot(a: readonly number[], b: readonly number[]): number {
  return a.reduce((sum, x, j) => sum + x * (b[j] ?? 0), 0);
}

/**
 * The coefficients' cluster-robust covariance A⁻¹·B·A⁻¹·n/(n − p), B = Σ e²·x·x'
 * with e_i = y_i − m_i·x_i'β (customers as clusters; White 1980 with the
 * small-sample factor of statsmodels' HC1).
 */
export function lineCovariance(line: FairValueLine, meat: readonly (readonly number[])[]): number[][] {
  const p = line.names.length;
  const factor = line.n > p ? line.n / (line.n - p) : 1;
  const left = line.inverse.map((row) => times(meat, row));
  return line.inverse.map((_, i) => line.inverse.map((col) => factor * dot(left[i] ?? [], col)));
}

/** A segment's residual sums over its customers in the fit (e_i = y_i − m_i·x_i'β at the fitted line). */
export interface ResidualSums {
  n: number;
  months: number;
  monthsSquares: number;
  /** Σ y. */
  paid: number;
  /** Σ m·x (index 0: Σ m). */
  mx: number[];
  /** Σ e, Σ e², Σ m·e. */
  e: number;
  ee: number;
  me: number;
  /** Σ e²·x, Σ m·e·x. */
  eex: number[];
  mex: number[];
}

export interface Deviation {
  /** Mean price minus the line's price at the segment's mean value: Σe / Σm. */
  estimate: number;
  standardError: number;
  /** The standard error with the deviation taken as 0 (the score test's). */
  nullStandardError: number;
  interval: Interval;
  /** Two-sided p-value that the segment sits on the line (t with n − 1 df, null standard error). */
  pValue: number;
  /** Σ y / Σ m over the segment's customers in the fit. */
  meanPrice: number;
  /** The line's price at the segment's exposure-weighted mean axes. */
  fairPrice: number;
  /** Exposure-weighted mean axes (index 0 is 1). */
  means: number[];
  n: number;
}

/**
 * Below this share of the terms it is made of, a variance computed from the
 * sums is rounding, not spread (every customer of the segment on the line).
 */
const ROUNDING = 1e-9;

/**
 * A segment's deviation from the fair-value line, D = Σ_s e / Σ_s m (its mean
 * price per customer-month minus the line's price at its exposure-weighted
 * mean value), with a delta-method standard error that treats customers as
 * clusters and carries the line's own uncertainty: each customer's influence
 * on D is [1{i∈s}(e_i − D·m_i) − h'x_i·e_i] / Σ_s m with h = A⁻¹·Σ_s m·x
 * (the segment's share in the fitted line), so
 * Var(D)·(Σ_s m)² = Σ_s (e − D·m)² − 2·Σ_s (e − D·m)·h'x·e + h'B·h, times
 * n/(n − 1). Every term is a sum over customers the engine returns, so both
 * engines give the same interval, and no resampling is needed. Null under 2
 * customers.
 */
export function deviation(line: FairValueLine, s: ResidualSums, meat: readonly (readonly number[])[], level = 0.95): Deviation | null {
  if (s.n < 2 || !(s.months > 0)) return null;
  const d = s.e / s.months;
  const h = times(line.inverse, s.mx);
  const hBh = dot(h, times(meat, h));
  const cross = dot(h, s.eex);
  const variance = (at: number): number => {
    const own = s.ee - 2 * at * s.me + at * at * s.monthsSquares;
    const total = own - 2 * (cross - at * dot(h, s.mex)) + hBh;
    const scale = Math.abs(s.ee) + at * at * s.monthsSquares + Math.abs(hBh);
    return total <= ROUNDING * scale ? 0 : (total * s.n) / ((s.n - 1) * s.months * s.months);
  };
  const standardError = Math.sqrt(variance(d));
  const nullStandardError = Math.sqrt(variance(0));
  const df = s.n - 1;
  const half = tCritical(level, df) * standardError;
  const means = s.mx.map((x) => x / s.months);
  return {
    estimate: d,
    standardError,
    nullStandardError,
    interval: { lower: d - half, upper: d + half, level },
    pValue: nullStandardError > 0 ? Math.min(1, 2 * tSf(Math.abs(d) / nullStandardError, df)) : 1,
    meanPrice: s.paid / s.months,
    fairPrice: linePrice(line, means),
    means,
    n: s.n,
  };
}
