import { regularizedGamma } from './incomplete-gamma.js';

const INV_SQRT_TWO_PI = 1 / Math.sqrt(2 * Math.PI);

/** Standard normal density. */
export function normalPdf(z: number): number {
  return INV_SQRT_TWO_PI * Math.exp(-0.5 * z * z);
}

/** Standard normal CDF Φ(z), via Φ(−|z|) = ½·Q(½, z²/2) (A&S 26.2.30 with 6.5), accurate in the far tail. */
export function normalCdf(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  const tails = regularizedGamma(0.5, 0.5 * z * z);
  return z < 0 ? 0.5 * tails.upper : 0.5 + 0.5 * tails.lower;
}

/** Standard normal survival function 1 − Φ(z), without cancellation for large z. */
export function normalSf(z: number): number {
  return normalCdf(-z);
}

// Acklam's rational approximation (relative error 1.15e-9), polished below.
const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

function polynomial(coefficients: readonly number[], x: number): number {
  let value = 0;
  for (const c of coefficients) value = value * x + c;
  return value;
}

function acklam(p: number): number {
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    return polynomial(C, q) / (polynomial(D, q) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return (polynomial(A, r) * q) / (polynomial(B, r) * r + 1);
}

/**
 * Standard normal quantile Φ⁻¹(p): Acklam's approximation refined by Halley
 * steps on the accurate CDF (as Acklam recommends), which brings it to
 * double precision. Symmetry is used for p > ½, where 1 − p is exact.
 */
export function normalQuantile(p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) return Number.NaN;
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  if (p > 0.5) return -normalQuantile(1 - p);
  if (p === 0.5) return 0;
  let x = acklam(p);
  for (let step = 0; step < 3; step += 1) {
    const error = normalCdf(x) - p;
    const u = error / normalPdf(x);
    const next = x - u / (1 + 0.5 * x * u);
    if (next === x) break;
    x = next;
  }
  return x;
}
