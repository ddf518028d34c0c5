import { CxrayError } from '../../errors.js';
import { logBeta } from './log-gamma.js';

const EPSILON = 1e-16;
const TINY = 1e-300;
const MAX_ITERATIONS = 1_000_000;

/** Both tails of the regularized incomplete beta function. */
export interface BetaTails {
  /** I_x(a, b). */
  lower: number;
  /** 1 − I_x(a, b) = I_{1−x}(b, a), computed directly when it is the small one. */
  upper: number;
}

// Continued fraction for I_x(a, b) by the modified Lentz method (Numerical Recipes 3rd ed. §6.4, betacf).
// Converges in O(√max(a, b)) terms, hence the generous iteration cap for df ≈ 10⁶.
function betaContinuedFraction(x: number, a: number, b: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m < MAX_ITERATIONS; m += 1) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPSILON) return h;
  }
  throw new CxrayError('stats_no_convergence', `Incomplete beta continued fraction did not converge for a=${a}, b=${b}, x=${x}.`);
}

/**
 * Regularized incomplete beta I_x(a, b) and its complement. The caller passes
 * y = 1 − x computed without cancellation (for Student t, x = ν/(ν+t²) and
 * y = t²/(ν+t²)), which keeps tail probabilities accurate near x = 1.
 */
export function regularizedBeta(x: number, y: number, a: number, b: number): BetaTails {
  if (!(a > 0 && b > 0) || Number.isNaN(x) || Number.isNaN(y)) return { lower: Number.NaN, upper: Number.NaN };
  if (x <= 0) return { lower: 0, upper: 1 };
  if (y <= 0) return { lower: 1, upper: 0 };
  const logX = x < 0.5 ? Math.log(x) : Math.log1p(-y);
  const logY = y < 0.5 ? Math.log(y) : Math.log1p(-x);
  const front = Math.exp(a * logX + b * logY - logBeta(a, b));
  if (x < (a + 1) / (a + b + 2)) {
    const lower = (front * betaContinuedFraction(x, a, b)) / a;
    return { lower, upper: 1 - lower };
  }
  const upper = (front * betaContinuedFraction(y, b, a)) / b;
  return { lower: 1 - upper, upper };
}
