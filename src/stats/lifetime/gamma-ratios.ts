import { logGamma, stirlingRemainder } from '../distributions/log-gamma.js';

/*
 * The likelihoods below are sums of lnΓ(r + x) − lnΓ(r) and their derivatives
 * ψ(r + x) − ψ(r). Computed as two lnΓ (or ψ) values these cancel badly once a
 * fit drifts towards a boundary (r ≈ 10⁸ when every customer buys at the same
 * rate), so small integer counts are summed term by term, and large r uses
 * Stirling's series with the large terms combined analytically (log1p), the
 * way R's lbeta does.
 */
const TERM_BY_TERM_LIMIT = 200;
const ASYMPTOTIC_FROM = 10;

/** Σ B₂ₖ/(2k y²ᵏ), the tail of ψ(y) ~ ln y − 1/(2y) − tail (A&S 6.3.18); truncation < 1e-17 for y ≥ 10. */
function digammaTail(y: number): number {
  const inv2 = 1 / (y * y);
  return inv2 * (1 / 12 - inv2 * (1 / 120 - inv2 * (1 / 252 - inv2 * (1 / 240 - inv2 * (1 / 132 - inv2 * (691 / 32760 - inv2 / 12))))));
}

/** ψ(x), the digamma function, for x > 0: recurrence up to x ≥ 10, then the asymptotic series. */
export function digamma(x: number): number {
  if (!(x > 0)) return Number.NaN;
  let shift = 0;
  let y = x;
  while (y < ASYMPTOTIC_FROM) {
    shift -= 1 / y;
    y += 1;
  }
  return shift + Math.log(y) - 0.5 / y - digammaTail(y);
}

/** ln[Γ(r + x) / Γ(r)], the log of the rising factorial (r)ₓ, for r > 0 and x ≥ 0. */
export function logRising(r: number, x: number): number {
  if (x === 0) return 0;
  if (Number.isInteger(x) && x <= TERM_BY_TERM_LIMIT) {
    let sum = 0;
    for (let k = 0; k < x; k += 1) sum += Math.log(r + k);
    return sum;
  }
  if (r >= ASYMPTOTIC_FROM) return (r - 0.5) * Math.log1p(x / r) + x * Math.log(r + x) - x + stirlingRemainder(r + x) - stirlingRemainder(r);
  return logGamma(r + x) - logGamma(r);
}

/** ψ(r + x) − ψ(r), the derivative of logRising in r. */
export function digammaDifference(r: number, x: number): number {
  if (x === 0) return 0;
  if (Number.isInteger(x) && x <= TERM_BY_TERM_LIMIT) {
    let sum = 0;
    for (let k = 0; k < x; k += 1) sum += 1 / (r + k);
    return sum;
  }
  if (r >= ASYMPTOTIC_FROM) return Math.log1p(x / r) + x / (2 * r * (r + x)) - (digammaTail(r + x) - digammaTail(r));
  return digamma(r + x) - digamma(r);
}

/** ln(eᵘ + eᵛ) without overflow; either argument may be −∞. */
export function logAddExp(u: number, v: number): number {
  if (u === Number.NEGATIVE_INFINITY) return v;
  if (v === Number.NEGATIVE_INFINITY) return u;
  const high = Math.max(u, v);
  return high + Math.log1p(Math.exp(Math.min(u, v) - high));
}
