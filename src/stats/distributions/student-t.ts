import { regularizedBeta } from './incomplete-beta.js';
import { invertTail } from './invert-cdf.js';
import { logBeta } from './log-gamma.js';
import { normalCdf, normalPdf, normalQuantile } from './normal.js';

// P(|T| > |t|) = I_x(ν/2, ½) with x = ν/(ν + t²) (A&S 26.7.1); 1 − x is passed exactly.
function twoTailProbability(t: number, df: number): number {
  let x: number;
  let y: number;
  if (Math.abs(t) < 1) {
    x = df / (df + t * t);
    y = (t * t) / (df + t * t);
  } else {
    const ratio = df / (t * t);
    x = ratio / (1 + ratio);
    y = 1 / (1 + ratio);
  }
  return regularizedBeta(x, y, df / 2, 0.5).lower;
}

/** Student t density with `df` degrees of freedom (df may be fractional, as in Welch's test). */
export function tPdf(t: number, df: number): number {
  if (df === Number.POSITIVE_INFINITY) return normalPdf(t);
  return Math.exp(-logBeta(df / 2, 0.5) - 0.5 * Math.log(df) - ((df + 1) / 2) * Math.log1p((t * t) / df));
}

/** Student t CDF. */
export function tCdf(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return Number.NaN;
  if (df === Number.POSITIVE_INFINITY) return normalCdf(t);
  const tails = twoTailProbability(t, df);
  return t < 0 ? 0.5 * tails : 1 - 0.5 * tails;
}

/** Student t survival function 1 − F(t). */
export function tSf(t: number, df: number): number {
  return tCdf(-t, df);
}

/** Two-sided p-value P(|T| ≥ |t|). */
export function tTwoSidedPValue(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return Number.NaN;
  if (df === Number.POSITIVE_INFINITY) return 2 * normalCdf(-Math.abs(t));
  return Math.min(1, twoTailProbability(t, df));
}

/** Student t quantile: safeguarded Newton from a Cornish–Fisher start (A&S 26.7.5). */
export function tQuantile(p: number, df: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1 || !(df > 0)) return Number.NaN;
  if (df === Number.POSITIVE_INFINITY) return normalQuantile(p);
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  if (p > 0.5) return -tQuantile(1 - p, df);
  if (p === 0.5) return 0;
  const z = normalQuantile(p);
  return invertTail({
    target: p,
    tail: (t) => tCdf(t, df),
    increasing: true,
    density: (t) => tPdf(t, df),
    supportLower: Number.NEGATIVE_INFINITY,
    supportUpper: 0,
    initial: z + (z * z * z + z) / (4 * df),
  });
}
