import { regularizedBeta, type BetaTails } from './incomplete-beta.js';
import { invertTail } from './invert-cdf.js';
import { logBeta } from './log-gamma.js';

// F(x; d1, d2) = I_u(d1/2, d2/2) with u = d1·x/(d1·x + d2) (A&S 26.6.2).
function tails(x: number, d1: number, d2: number): BetaTails {
  if (x <= 0) return { lower: 0, upper: 1 };
  const scaled = d1 * x;
  return regularizedBeta(scaled / (scaled + d2), d2 / (scaled + d2), d1 / 2, d2 / 2);
}

/** F density with (d1, d2) degrees of freedom. */
export function fPdf(x: number, d1: number, d2: number): number {
  if (x <= 0) return 0;
  const logDensity =
    0.5 * d1 * Math.log(d1 / d2) + (d1 / 2 - 1) * Math.log(x) - ((d1 + d2) / 2) * Math.log1p((d1 * x) / d2) - logBeta(d1 / 2, d2 / 2);
  return Math.exp(logDensity);
}

/** F CDF. */
export function fCdf(x: number, d1: number, d2: number): number {
  if (Number.isNaN(x) || !(d1 > 0 && d2 > 0)) return Number.NaN;
  return tails(x, d1, d2).lower;
}

/** F survival function (the p-value of an F statistic). */
export function fSf(x: number, d1: number, d2: number): number {
  if (Number.isNaN(x) || !(d1 > 0 && d2 > 0)) return Number.NaN;
  return tails(x, d1, d2).upper;
}

/** F quantile, inverting whichever tail is smaller. */
export function fQuantile(p: number, d1: number, d2: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1 || !(d1 > 0 && d2 > 0)) return Number.NaN;
  if (p === 0) return 0;
  if (p === 1) return Number.POSITIVE_INFINITY;
  const upper = p > 0.5;
  return invertTail({
    target: upper ? 1 - p : p,
    tail: (x) => (upper ? fSf(x, d1, d2) : fCdf(x, d1, d2)),
    increasing: !upper,
    density: (x) => fPdf(x, d1, d2),
    supportLower: 0,
    supportUpper: Number.POSITIVE_INFINITY,
    initial: 1,
  });
}
