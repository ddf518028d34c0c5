import { CxrayError } from '../../errors.js';
import { logGamma, stirlingRemainder } from './log-gamma.js';

const EPSILON = 1e-16;
const TINY = 1e-300;
const MAX_ITERATIONS = 100_000;

/** Both tails of the regularized incomplete gamma function, each accurate on its own. */
export interface GammaTails {
  /** P(a, x) = γ(a, x) / Γ(a). */
  lower: number;
  /** Q(a, x) = 1 − P(a, x), computed directly, not by subtraction, when it is the small one. */
  upper: number;
}

// ln(x^a e^-x / Γ(a)). For a ≥ 10 the large terms of a·ln x − x − lnΓ(a) cancel
// analytically (Stirling), leaving a·ln(x/a) − (x − a); near x = a that is
// a·(log1p(d) − d) with d = (x − a)/a, which keeps its digits.
function logPrefactor(a: number, x: number): number {
  if (a >= 10) {
    const d = (x - a) / a;
    const core = Math.abs(d) < 0.5 ? a * (Math.log1p(d) - d) : a * Math.log(x / a) - (x - a);
    return core + 0.5 * Math.log(a / (2 * Math.PI)) - stirlingRemainder(a);
  }
  return a * Math.log(x) - x - logGamma(a);
}

/**
 * Regularized incomplete gamma P(a, x) and Q(a, x): the series for x < a + 1,
 * otherwise the continued fraction evaluated by the modified Lentz method
 * (Numerical Recipes 3rd ed. §6.2, gser/gcf).
 */
export function regularizedGamma(a: number, x: number): GammaTails {
  if (!(a > 0) || Number.isNaN(x)) return { lower: Number.NaN, upper: Number.NaN };
  if (x <= 0) return { lower: 0, upper: 1 };
  if (x === Number.POSITIVE_INFINITY) return { lower: 1, upper: 0 };
  const front = Math.exp(logPrefactor(a, x));
  // Both the series and the fraction are multiples of `front`: when it underflows, the small tail is below 1e-308.
  if (front === 0) return x > a ? { lower: 1, upper: 0 } : { lower: 0, upper: 1 };
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < MAX_ITERATIONS; n += 1) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * EPSILON) {
        const lower = sum * front;
        return { lower, upper: 1 - lower };
      }
    }
    throw new CxrayError('stats_no_convergence', `Incomplete gamma series did not converge for a=${a}, x=${x}.`);
  }
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_ITERATIONS; i += 1) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPSILON) {
      const upper = front * h;
      return { lower: 1 - upper, upper };
    }
  }
  throw new CxrayError('stats_no_convergence', `Incomplete gamma continued fraction did not converge for a=${a}, x=${x}.`);
}
