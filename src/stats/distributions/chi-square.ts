import { regularizedGamma } from './incomplete-gamma.js';
import { invertTail } from './invert-cdf.js';
import { logGamma } from './log-gamma.js';
import { normalQuantile } from './normal.js';

/** Chi-square density with k degrees of freedom. */
export function chiSquarePdf(x: number, k: number): number {
  if (x <= 0) return 0;
  return Math.exp((k / 2 - 1) * Math.log(x) - x / 2 - (k / 2) * Math.LN2 - logGamma(k / 2));
}

/** Chi-square CDF: P(k/2, x/2). */
export function chiSquareCdf(x: number, k: number): number {
  if (Number.isNaN(x) || !(k > 0)) return Number.NaN;
  return regularizedGamma(k / 2, x / 2).lower;
}

/** Chi-square survival function (the p-value of a statistic x): Q(k/2, x/2). */
export function chiSquareSf(x: number, k: number): number {
  if (Number.isNaN(x) || !(k > 0)) return Number.NaN;
  return regularizedGamma(k / 2, x / 2).upper;
}

// Wilson–Hilferty (A&S 26.4.17) in the body; the small-x series P ≈ (x/2)^(k/2)/Γ(k/2+1) in the lower tail.
function initialGuess(p: number, k: number): number {
  const z = normalQuantile(p);
  const c = 2 / (9 * k);
  const wilsonHilferty = k * (1 - c + z * Math.sqrt(c)) ** 3;
  if (wilsonHilferty > 0.1 * k) return wilsonHilferty;
  return 2 * Math.exp((Math.log(p) + logGamma(k / 2 + 1)) / (k / 2));
}

/** Chi-square quantile, inverting whichever tail is smaller. */
export function chiSquareQuantile(p: number, k: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1 || !(k > 0)) return Number.NaN;
  if (p === 0) return 0;
  if (p === 1) return Number.POSITIVE_INFINITY;
  const upper = p > 0.5;
  return invertTail({
    target: upper ? 1 - p : p,
    tail: (x) => (upper ? chiSquareSf(x, k) : chiSquareCdf(x, k)),
    increasing: !upper,
    density: (x) => chiSquarePdf(x, k),
    supportLower: 0,
    supportUpper: Number.POSITIVE_INFINITY,
    initial: initialGuess(p, k),
  });
}
