/*
 * Why these are hand-written: none of the project's dependencies provides the
 * t, chi-square or F distributions (ml-matrix is linear algebra only), the npm
 * candidates are either table-based (simple-statistics) or barely maintained
 * (jStat), and p-values here must match mpmath/scipy to 1e-10 — including
 * df ≈ 10⁶ from warehouse-sized samples, which needs the cancellation-free
 * forms below. The formulas follow R's nmath (lgammacor.c, lbeta.c) and
 * Numerical Recipes 3rd ed. §6.1–6.4 (incomplete gamma and beta by modified
 * Lentz continued fractions); distributions.test.ts checks them.
 */

const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

// Lanczos coefficients for g = 7, n = 9 (Godfrey), relative error < 2e-15 for Γ.
const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/**
 * δ(x) = lnΓ(x) − [(x − ½)ln x − x + ½ln 2π], the Stirling remainder, for x ≥ 10.
 * Series 1/(12x) − 1/(360x³) + … (Abramowitz & Stegun 6.1.41); truncation error < 1e-17 at x = 10.
 * Kept separate because lbeta and the gamma prefactors cancel the large terms analytically
 * and only the remainders remain — that is what keeps p-values accurate at df = 10⁶.
 */
export function stirlingRemainder(x: number): number {
  const inv = 1 / x;
  const inv2 = inv * inv;
  return inv * (1 / 12 + inv2 * (-1 / 360 + inv2 * (1 / 1260 + inv2 * (-1 / 1680 + inv2 * (1 / 1188 + inv2 * (-691 / 360360 + inv2 / 156))))));
}

/** ln Γ(x) for x > 0. */
export function logGamma(x: number): number {
  if (!(x > 0)) return Number.NaN;
  if (x >= 10) return (x - 0.5) * Math.log(x) - x + HALF_LOG_TWO_PI + stirlingRemainder(x);
  if (x < 0.5) return logGamma(x + 1) - Math.log(x);
  const z = x - 1;
  let sum = LANCZOS[0] ?? 0;
  for (let i = 1; i < LANCZOS.length; i += 1) sum += (LANCZOS[i] ?? 0) / (z + i);
  const t = z + LANCZOS_G + 0.5;
  return HALF_LOG_TWO_PI + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** ln B(a, b), following R's lbeta.c so that large arguments do not cancel. */
export function logBeta(a: number, b: number): number {
  const p = Math.min(a, b);
  const q = Math.max(a, b);
  if (!(p > 0)) return Number.NaN;
  if (p >= 10) {
    const correction = stirlingRemainder(p) + stirlingRemainder(q) - stirlingRemainder(p + q);
    return -0.5 * Math.log(q) + HALF_LOG_TWO_PI + correction + (p - 0.5) * Math.log(p / (p + q)) + q * Math.log1p(-p / (p + q));
  }
  if (q >= 10) {
    const correction = stirlingRemainder(q) - stirlingRemainder(p + q);
    return logGamma(p) + correction + p - p * Math.log(p + q) + (q - 0.5) * Math.log1p(-p / (p + q));
  }
  return logGamma(p) + logGamma(q) - logGamma(p + q);
}
