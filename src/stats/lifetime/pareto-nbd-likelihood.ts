import { assertHistory } from './frequency-rows.js';
import { logRising } from './gamma-ratios.js';
import { gaussHypergeometricSeries } from './hypergeometric.js';
import { integrateAdaptive } from './quadrature.js';
import type { PurchaseHistory } from './types.js';

/*
 * Pareto/NBD likelihood (Schmittlein, Morrison & Colombo 1987) in the form of
 * Fader, Hardie & Lee (2005), "A Note on Deriving the Pareto/NBD Model and
 * Related Expressions", eq. 22:
 *   L = Γ(r+x)αʳβˢ/Γ(r) · { 1/((α+T)^(r+x)(β+T)ˢ) + s/(r+s+x) · A₀ },
 * where A₀ = F(tₓ) − F(T) and, so that the ₂F₁ argument stays in [0, 1),
 *   α ≥ β: F(t) = ₂F₁(r+s+x, s+1; r+s+x+1; (α−β)/(α+t)) / (α+t)^(r+s+x),
 *   α < β: F(t) = ₂F₁(r+s+x, r+x;  r+s+x+1; (β−α)/(β+t)) / (β+t)^(r+s+x).
 * Here s/(r+s+x)·A₀·αʳβˢ is recognised as the dropout integral
 *   s ∫_{tₓ}^{T} αʳβˢ (α+τ)^−(r+x) (β+τ)^−(s+1) dτ
 * (death at τ between the last purchase and T). With Euler's transformation,
 *   ₂F₁(A, B; A+1; z) = (1−z)^(1−B) ₂F₁(1, A+1−B; A+1; z),
 * the remaining series has positive terms shrinking by at least z each, and
 * ln F(t)αʳβˢ collapses to ln S − r·log1p(t/α) − x ln(α+t) − s·log1p(t/β)
 * (+ ln((α+t)/(β+t)) when α < β): no r·ln α against (r+s+x)·ln(α+t)
 * cancellation when r and α run off together. When z > 0.95 the series would
 * need thousands of terms (millions as z → 1), so the integral is then taken
 * by adaptive quadrature; the test checks both routes agree.
 */

export interface ParetoNbdParams {
  r: number;
  alpha: number;
  s: number;
  beta: number;
}

/** Above this ₂F₁ argument the dropout integral is taken by quadrature (the gradient routes alike). */
export const DROPOUT_SERIES_LIMIT = 0.95;

/*
 * The series route takes I as the difference F(tₓ) − F(T) of two values of
 * size M (their log terms): when tₓ is close to T that difference keeps only
 * ~16 − log₁₀(M/|ln(P(T)/P(tₓ))|) digits (ln I off by 2e-4 at T − tₓ = 1e-7,
 * α = 4·10⁴). Below this share of M the integral, over a short interval, is
 * taken by quadrature instead, which needs one or two panels there; the
 * series then keeps at least 12 digits.
 */
const DROPOUT_CANCELLATION_LIMIT = 1e-3;

/** True when ln[P(T)/P(tₓ)] from the series is too close to 0 for 1 − P(T)/P(tₓ) to keep 12 digits. */
export function seriesCancels({ r, alpha, s, beta }: ParetoNbdParams, x: number, T: number, logRatio: number): boolean {
  const magnitude = 1 + r * Math.log1p(T / alpha) + x * Math.abs(Math.log(alpha + T)) + s * Math.log1p(T / beta);
  return -logRatio < DROPOUT_CANCELLATION_LIMIT * magnitude;
}

/** ln of the integrand αʳβˢ(α+τ)^−(r+x)(β+τ)^−(s+1). */
function logIntegrand({ r, alpha, s, beta }: ParetoNbdParams, x: number, tau: number): number {
  return -r * Math.log1p(tau / alpha) - x * Math.log(alpha + tau) - s * Math.log1p(tau / beta) - Math.log(beta + tau);
}

/** ln[F(t)·αʳβˢ] by the transformed series. */
function logPrimitive({ r, alpha, s, beta }: ParetoNbdParams, x: number, t: number): number {
  const base = -r * Math.log1p(t / alpha) - x * Math.log(alpha + t) - s * Math.log1p(t / beta);
  if (alpha >= beta) return base + Math.log(gaussHypergeometricSeries(1, r + x, r + s + x + 1, (alpha - beta) / (alpha + t)));
  return base + Math.log((alpha + t) / (beta + t)) + Math.log(gaussHypergeometricSeries(1, s + 1, r + s + x + 1, (beta - alpha) / (beta + t)));
}

/** ln ∫_{tₓ}^{T} αʳβˢ(α+τ)^−(r+x)(β+τ)^−(s+1) dτ (−∞ when tₓ = T). */
export function logDropoutIntegral(params: ParetoNbdParams, { x, tx, T }: PurchaseHistory, route: 'auto' | 'series' | 'quadrature' = 'auto'): number {
  if (tx >= T) return Number.NEGATIVE_INFINITY;
  const { r, alpha, s, beta } = params;
  const z = Math.abs(alpha - beta) / (Math.max(alpha, beta) + tx);
  if (route === 'series' || (route === 'auto' && z <= DROPOUT_SERIES_LIMIT)) {
    const atTx = logPrimitive(params, x, tx);
    const atT = logPrimitive(params, x, T);
    const logRatio = Math.min(0, atT - atTx);
    if (route === 'series' || !seriesCancels(params, x, T, logRatio)) return atTx + Math.log(-Math.expm1(logRatio)) - Math.log(r + s + x);
  }
  // In v = ln(m + τ), m = min(α, β), the power-law integrand decays about
  // exponentially: Gauss–Kronrod meets its tolerance with 3-4 times fewer
  // points than in τ (the Pareto/NBD fit spends most of its time here). The
  // nodes are placed in u = v − ln(m + tₓ), τ = tₓ + (m + tₓ)·expm1(u), and
  // the integrand relative to its value at tₓ is written in τ − tₓ:
  //   ln f(τ) − ln f(tₓ) = −(r+x)·log1p((τ−tₓ)/(α+tₓ)) − (s+1)·log1p((τ−tₓ)/(β+tₓ)),
  // so that neither e^v − m nor a difference of two large logs (r ≈ 10⁴⁵
  // when r and α run off together) leaves rounding noise the error test
  // would chase.
  const width = Math.min(alpha, beta) + tx;
  const inU = (u: number): number => {
    const d = width * Math.expm1(u);
    return Math.exp(-(r + x) * Math.log1p(d / (alpha + tx)) - (s + 1) * Math.log1p(d / (beta + tx)) + u);
  };
  return logIntegrand(params, x, tx) + Math.log(width) + Math.log(integrateAdaptive(inU, 0, Math.log1p((T - tx) / width)));
}

export interface ParetoNbdRowTerms {
  logLikelihood: number;
  /** ln of the "alive at T" part of the likelihood, ln[αʳβˢ/((α+T)^(r+x)(β+T)ˢ)]. */
  logAlive: number;
  /** ln of the "died between tₓ and T" part, ln[s ∫ …]. */
  logDied: number;
}

export function paretoNbdRowTerms(params: ParetoNbdParams, history: PurchaseHistory): ParetoNbdRowTerms {
  const { r, alpha, s, beta } = params;
  const { x, T } = history;
  const logAlive = -r * Math.log1p(T / alpha) - x * Math.log(alpha + T) - s * Math.log1p(T / beta);
  const logDied = Math.log(s) + logDropoutIntegral(params, history);
  const high = Math.max(logAlive, logDied);
  const logMixture = high + Math.log(Math.exp(logAlive - high) + Math.exp(logDied - high));
  return { logLikelihood: logRising(r, x) + logMixture, logAlive, logDied };
}

/** Σ count · ln L over compressed rows. */
export function paretoNbdLogLikelihood(params: ParetoNbdParams, rows: readonly (PurchaseHistory & { count: number })[]): number {
  let total = 0;
  for (const row of rows) {
    assertHistory(row);
    total += row.count * paretoNbdRowTerms(params, row).logLikelihood;
  }
  return total;
}
