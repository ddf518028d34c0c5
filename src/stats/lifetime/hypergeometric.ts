import { CxrayError } from '../../errors.js';
import { assertInput } from '../invalid-input.js';

/*
 * Gauss's hypergeometric function ₂F₁(a, b; c; z). BG/NBD's expectations and
 * the Pareto/NBD likelihood (Fader, Hardie & Lee 2005, "A Note on Deriving the
 * Pareto/NBD Model and Related Expressions") need it for 0 ≤ z < 1 only, where
 * the Gauss series converges absolutely but ever more slowly as z → 1. Two
 * classical transformations keep it well behaved (Abramowitz & Stegun 15.3.4-5):
 *   Euler  ₂F₁(a, b; c; z) = (1 − z)^(c−a−b) ₂F₁(c − a, c − b; c; z)
 *   Pfaff  ₂F₁(a, b; c; z) = (1 − z)^(−a) ₂F₁(a, c − b; c; z / (z − 1))
 * When c − a − b < 0 the function itself blows up like (1 − z)^(c−a−b) and its
 * series sums huge terms; Euler's series then stays bounded as z → 1, with the
 * singular part in an explicit factor, so that is the series summed. Pfaff maps
 * z < 0 into (0, 1). Neither helps convergence speed near z = 1 (the term ratio
 * tends to z either way), so callers whose z can approach 1 (Pareto/NBD with
 * very unequal α and β) switch to quadrature there instead.
 */

const DEFAULT_TOLERANCE = 1e-15;
const MAX_TERMS = 2_000_000;

function assertC(c: number): void {
  assertInput(!(c <= 0 && Number.isInteger(c)), `₂F₁ is undefined for c = ${c} (a non-positive integer).`);
}

/**
 * The first term index from which every later term ratio
 * |(a+k)(b+k)z / ((c+k)(k+1))| is at most z, so that the tail after a term t
 * is at most |t|·z/(1−z). (a+k)(b+k) − (c+k)(k+1) = (a+b−c−1)k + ab − c is
 * linear in k: once its slope is ≤ 0 (always true after the Euler step of
 * hypergeometric2F1), it stays ≤ 0 from its root on, provided all factors are
 * positive by then. With a positive slope the ratios approach z from above and
 * are only eventually monotone, so the bound waits until k is well past the
 * parameters and uses the current ratio instead of z.
 */
function geometricTailFrom(a: number, b: number, c: number): { index: number; exact: boolean } {
  const positiveFactors = Math.max(0, Math.ceil(-a), Math.ceil(-b), Math.floor(-c) + 1);
  const slope = a + b - c - 1;
  const intercept = a * b - c;
  if (slope < 0) return { index: Math.max(positiveFactors, Math.ceil(intercept / -slope)), exact: true };
  if (slope === 0 && intercept <= 0) return { index: positiveFactors, exact: true };
  return { index: 2 * Math.max(Math.abs(a), Math.abs(b), Math.abs(c)) + 2, exact: false };
}

/**
 * The raw Gauss series Σₙ (a)ₙ(b)ₙ / ((c)ₙ n!) zⁿ for 0 ≤ z < 1, summed until
 * a geometric bound on the remaining tail falls below `tolerance` relative to
 * the sum. For callers that have already transformed their arguments.
 */
export function gaussHypergeometricSeries(a: number, b: number, c: number, z: number, tolerance = DEFAULT_TOLERANCE): number {
  assertC(c);
  assertInput(z >= 0 && z < 1, `The Gauss series needs 0 ≤ z < 1; got z = ${z}.`);
  if (z === 0 || a === 0 || b === 0) return 1;
  const from = geometricTailFrom(a, b, c);
  let term = 1;
  let sum = 1;
  for (let n = 0; n < MAX_TERMS; n += 1) {
    const ratio = (((a + n) * (b + n)) / ((c + n) * (n + 1))) * z;
    term *= ratio;
    sum += term;
    if (term === 0) return sum;
    if (!Number.isFinite(sum)) break;
    if (n + 1 >= from.index) {
      const bound = from.exact ? z : Math.max(Math.abs(ratio), z);
      if (bound < 1 && (Math.abs(term) * bound) / (1 - bound) <= tolerance * Math.abs(sum)) return sum;
    }
  }
  throw new CxrayError('hypergeometric_not_converged', `₂F₁(${a}, ${b}; ${c}; ${z}) did not converge in ${MAX_TERMS} terms.`);
}

/**
 * ₂F₁(a, b; c; z) for real z < 1 (the series diverges for z ≥ 1 except in
 * special cases cxray never needs). Uses Euler's transformation when
 * c − a − b < 0 and Pfaff's for z < 0. Accuracy is near machine precision
 * unless the sum cancels (a tiny result from large alternating terms).
 *
 * @example hypergeometric2F1(1, 1, 2, 0.5) // 2 ln 2 = 1.3862943611198906
 */
export function hypergeometric2F1(a: number, b: number, c: number, z: number): number {
  assertC(c);
  assertInput(Number.isFinite(z) && z < 1, `₂F₁ is computed here for z < 1 only; got z = ${z}.`);
  if (z < 0) {
    const w = z / (z - 1);
    // Either Pfaff form is valid; keep the one whose series parameters are smaller.
    return Math.abs(a * (c - b)) <= Math.abs((c - a) * b)
      ? Math.pow(1 - z, -a) * hypergeometric2F1(a, c - b, c, w)
      : Math.pow(1 - z, -b) * hypergeometric2F1(c - a, b, c, w);
  }
  if (c - a - b < 0) return Math.pow(1 - z, c - a - b) * gaussHypergeometricSeries(c - a, c - b, c, z);
  return gaussHypergeometricSeries(a, b, c, z);
}
