import { assertHistory } from './frequency-rows.js';
import { digammaDifference, logAddExp, logRising } from './gamma-ratios.js';
import { unitHypergeometricWithGradient } from './hypergeometric-gradient.js';
import { DROPOUT_SERIES_LIMIT, seriesCancels, type ParetoNbdParams } from './pareto-nbd-likelihood.js';
import { integrateAdaptiveVector } from './quadrature-vector.js';
import type { PurchaseHistory } from './types.js';

/*
 * The analytic gradient of one row's Pareto/NBD log-likelihood in the
 * log-parameters θ = (ln r, ln α, ln s, ln β), with its value, in one pass.
 * D = ∂/∂θ, so D_r = r·∂/∂r and so on.
 *
 * The likelihood is Fader, Hardie & Lee's (2005 note, eq. 22) in the integral
 * form of pareto-nbd-likelihood.ts:
 *   ln L = ln(r)ₓ + ln(e^u_A + e^u_D),
 *   u_A = r ln α + s ln β − (r+x) ln(α+T) − s ln(β+T)        (alive at T),
 *   u_D = ln s + ln I,  I = ∫_{tₓ}^{T} f(τ) dτ,
 *   f(τ) = αʳβˢ (α+τ)^−(r+x) (β+τ)^−(s+1)                     (died at τ).
 * Then, with the log-sum-exp weights w_A = e^(u_A − ln(e^u_A + e^u_D)), w_D = 1 − w_A,
 *   D ln L = (r[ψ(r+x) − ψ(r)], 0, 0, 0) + w_A·D u_A + w_D·D u_D,
 *   D u_A  = (−r log1p(T/α), (rT − xα)/(α+T), −s log1p(T/β), sT/(β+T)),
 *   D u_D  = (0, 0, 1, 0) + D ln I,
 * where r[ψ(r+x) − ψ(r)] is digammaDifference (an exact sum for integer x).
 *
 * The limits tₓ, T do not depend on θ, so D I = ∫ f·D ln f dτ, with
 *   D ln f(τ) = (−r log1p(τ/α), (rτ − xα)/(α+τ), −s log1p(τ/β), (sτ − β)/(β+τ)).
 *
 * Quadrature route (₂F₁'s argument z > 0.95, or tₓ so close to T that the
 * series' difference below cancels): D ln I = D ln f(tₓ) + ∫f·Δ / ∫f with
 * Δ(τ) = D ln f(τ) − D ln f(tₓ), in d = τ − tₓ
 *   Δ = (−r log1p(d/(α+tₓ)), (r+x)αd/((α+τ)(α+tₓ)), −s log1p(d/(β+tₓ)), (s+1)βd/((β+τ)(β+tₓ))),
 * each of one sign, so no component cancels. The five integrands f, f·Δⱼ are
 * taken together on the same Gauss–Kronrod nodes in u = ln((m+τ)/(m+tₓ)),
 * m = min(α, β), as the value alone is (pareto-nbd-likelihood.ts,
 * quadrature-vector.ts), f relative to f(tₓ) as it is there.
 *
 * Series route: I = [P(tₓ) − P(T)]/(r+s+x), P(t) = αʳβˢ·F(t), in Euler's form
 *   ln P(t) = base(t) + [α < β] ln((α+t)/(β+t)) + ln S,  S = ₂F₁(1, b; r+s+x+1; z),
 *   base(t) = −r log1p(t/α) − x ln(α+t) − s log1p(t/β),
 *   α ≥ β: b = r+x, z = (α−β)/(α+t);   α < β: b = s+1, z = (β−α)/(β+t).
 * With g(t) = D ln P(t) and E = P(T)/P(tₓ) ≤ 1,
 *   D ln I = g(tₓ) + E·(g(tₓ) − g(T))/(1 − E) − (r, 0, s, 0)/(r+s+x),
 * written so that E → 0 (T ≫ tₓ) leaves g(tₓ) alone, 1 − E = −expm1(ln E); and
 *   D base = (−r log1p(t/α), (rt − xα)/(α+t), −s log1p(t/β), st/(β+t)),
 *   α ≥ β: D ln S = (r(S_b + S_c), α(β+t)/(α+t)²·S_z, s·S_c, −β/(α+t)·S_z)/S,
 *   α < β: D ln S = (r·S_c, −α/(β+t)·S_z, s(S_b + S_c), β(α+t)/(β+t)²·S_z)/S,
 *          plus D ln((α+t)/(β+t)) = (0, α/(α+t), 0, −β/(β+t)),
 * the partial derivatives S_b, S_c, S_z summed with S (hypergeometric-gradient.ts).
 * Both routes keep the value's safeguards: log1p for r ln α − r ln(α+t) when
 * r and α run off together, log-sum-exp, the min(α, β) branch.
 */

export type ParetoNbdGradient = [number, number, number, number];

export interface ValueWithGradient {
  value: number;
  gradient: ParetoNbdGradient;
}

/** ln P(t) = ln[F(t)·αʳβˢ] and its gradient g(t), by the transformed series. */
function logPrimitiveWithGradient({ r, alpha, s, beta }: ParetoNbdParams, x: number, t: number): ValueWithGradient {
  const logA = Math.log1p(t / alpha);
  const logB = Math.log1p(t / beta);
  let value = -r * logA - x * Math.log(alpha + t) - s * logB;
  const gradient: ParetoNbdGradient = [-r * logA, (r * t - x * alpha) / (alpha + t), -s * logB, (s * t) / (beta + t)];
  const c = r + s + x + 1;
  if (alpha >= beta) {
    const series = unitHypergeometricWithGradient(r + x, c, (alpha - beta) / (alpha + t));
    const dZ = series.dZ / series.value;
    value += Math.log(series.value);
    gradient[0] += (r * (series.dB + series.dC)) / series.value;
    gradient[1] += ((alpha * (beta + t)) / ((alpha + t) * (alpha + t))) * dZ;
    gradient[2] += (s * series.dC) / series.value;
    gradient[3] -= (beta / (alpha + t)) * dZ;
  } else {
    const series = unitHypergeometricWithGradient(s + 1, c, (beta - alpha) / (beta + t));
    const dZ = series.dZ / series.value;
    value += Math.log((alpha + t) / (beta + t)) + Math.log(series.value);
    gradient[0] += (r * series.dC) / series.value;
    gradient[1] += alpha / (alpha + t) - (alpha / (beta + t)) * dZ;
    gradient[2] += (s * (series.dB + series.dC)) / series.value;
    gradient[3] += -beta / (beta + t) + ((beta * (alpha + t)) / ((beta + t) * (beta + t))) * dZ;
  }
  return { value, gradient };
}

/** The series route, or null when its difference cancels (seriesCancels) and `strict` is false. */
function seriesRoute(params: ParetoNbdParams, x: number, tx: number, T: number, strict: boolean): ValueWithGradient | null {
  const { r, s } = params;
  const atTx = logPrimitiveWithGradient(params, x, tx);
  const atT = logPrimitiveWithGradient(params, x, T);
  const logE = Math.min(0, atT.value - atTx.value);
  if (!strict && seriesCancels(params, x, T, logE)) return null;
  const oneMinusE = -Math.expm1(logE);
  const ratio = Math.exp(logE) / oneMinusE;
  const rsx = r + s + x;
  const gradient = atTx.gradient.map((g, j) => g + ratio * (g - (atT.gradient[j] ?? 0))) as ParetoNbdGradient;
  gradient[0] -= r / rsx;
  gradient[2] -= s / rsx;
  return { value: atTx.value + Math.log(oneMinusE) - Math.log(rsx), gradient };
}

function quadratureRoute({ r, alpha, s, beta }: ParetoNbdParams, x: number, tx: number, T: number): ValueWithGradient {
  const width = Math.min(alpha, beta) + tx;
  const aTx = alpha + tx;
  const bTx = beta + tx;
  const logA = Math.log1p(tx / alpha);
  const logB = Math.log1p(tx / beta);
  const peak = -r * logA - x * Math.log(aTx) - s * logB - Math.log(bTx);
  const integrand = (u: number, out: Float64Array): void => {
    const d = width * Math.expm1(u);
    const stepA = Math.log1p(d / aTx);
    const stepB = Math.log1p(d / bTx);
    const f = Math.exp(-(r + x) * stepA - (s + 1) * stepB + u);
    out[0] = f;
    out[1] = -r * stepA * f;
    out[2] = (((r + x) * alpha * d) / ((aTx + d) * aTx)) * f;
    out[3] = -s * stepB * f;
    out[4] = (((s + 1) * beta * d) / ((bTx + d) * bTx)) * f;
  };
  const [f = 0, dR = 0, dAlpha = 0, dS = 0, dBeta = 0] = integrateAdaptiveVector(integrand, 5, 0, Math.log1p((T - tx) / width));
  return {
    value: peak + Math.log(width) + Math.log(f),
    gradient: [-r * logA + dR / f, (r * tx - x * alpha) / aTx + dAlpha / f, -s * logB + dS / f, (s * tx - beta) / bTx + dBeta / f],
  };
}

/**
 * ln ∫_{tₓ}^{T} αʳβˢ(α+τ)^−(r+x)(β+τ)^−(s+1) dτ and its gradient in
 * (ln r, ln α, ln s, ln β); the route is chosen as logDropoutIntegral's.
 */
export function logDropoutIntegralWithGradient(params: ParetoNbdParams, { x, tx, T }: PurchaseHistory, route: 'auto' | 'series' | 'quadrature' = 'auto'): ValueWithGradient {
  if (tx >= T) return { value: Number.NEGATIVE_INFINITY, gradient: [0, 0, 0, 0] };
  const { alpha, beta } = params;
  const z = Math.abs(alpha - beta) / (Math.max(alpha, beta) + tx);
  if (route === 'series' || (route === 'auto' && z <= DROPOUT_SERIES_LIMIT)) {
    const series = seriesRoute(params, x, tx, T, route === 'series');
    if (series !== null) return series;
  }
  return quadratureRoute(params, x, tx, T);
}

export interface ParetoNbdRowGradient {
  logLikelihood: number;
  /** ∂ ln L / ∂(ln r, ln α, ln s, ln β). */
  gradient: ParetoNbdGradient;
}

/** One row's log-likelihood (as paretoNbdRowTerms) with its analytic gradient in the log-parameters. */
export function paretoNbdRowGradient(params: ParetoNbdParams, history: PurchaseHistory, route: 'auto' | 'series' | 'quadrature' = 'auto'): ParetoNbdRowGradient {
  const { r, alpha, s, beta } = params;
  const { x, T } = history;
  const logA = Math.log1p(T / alpha);
  const logB = Math.log1p(T / beta);
  const logAlive = -r * logA - x * Math.log(alpha + T) - s * logB;
  const died = logDropoutIntegralWithGradient(params, history, route);
  const logDied = Math.log(s) + died.value;
  const mixture = logAddExp(logAlive, logDied);
  const wAlive = Math.exp(logAlive - mixture);
  const wDied = Number.isFinite(logDied) ? Math.exp(logDied - mixture) : 0;
  const dDied = died.gradient;
  return {
    logLikelihood: logRising(r, x) + mixture,
    gradient: [
      r * digammaDifference(r, x) - wAlive * r * logA + wDied * dDied[0],
      (wAlive * (r * T - x * alpha)) / (alpha + T) + wDied * dDied[1],
      -wAlive * s * logB + wDied * (1 + dDied[2]),
      (wAlive * s * T) / (beta + T) + wDied * dDied[3],
    ],
  };
}

/** Σ count · ∂ ln L/∂(ln r, ln α, ln s, ln β), analytic, with Σ count · ln L from the same pass. */
export function paretoNbdLogLikelihoodGradient(params: ParetoNbdParams, rows: readonly (PurchaseHistory & { count: number })[]): ValueWithGradient {
  const gradient: ParetoNbdGradient = [0, 0, 0, 0];
  let value = 0;
  for (const row of rows) {
    assertHistory(row);
    const terms = paretoNbdRowGradient(params, row);
    value += row.count * terms.logLikelihood;
    for (let j = 0; j < 4; j += 1) gradient[j] = (gradient[j] ?? 0) + row.count * (terms.gradient[j] ?? 0);
  }
  return { value, gradient };
}
