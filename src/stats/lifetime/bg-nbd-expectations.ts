import { logGamma } from '../distributions/log-gamma.js';
import { assertInput } from '../invalid-input.js';
import type { BgNbdParams } from './bg-nbd.js';
import { assertHistory } from './frequency-rows.js';
import { logRising } from './gamma-ratios.js';
import { hypergeometric2F1 } from './hypergeometric.js';
import type { PurchaseHistory } from './types.js';

/*
 * BG/NBD expectations, Fader, Hardie & Lee (2005), eq. 7 (E[X(t)]), eq. 10
 * (E[Y(t) | x, tₓ, T]) and the P(alive) expression of their technical note
 * "Computing P(alive) Using the BG/NBD Model" (2008). The ₂F₁ in eq. 10 is
 * rewritten with Euler's transformation:
 *   ((α+T)/(α+T+t))^(r+x) ₂F₁(r+x, b+x; a+b+x−1; z) = (1−z)^(a−1) ₂F₁(a+b−1−r, a−1; a+b+x−1; z),
 * z = t/(α+T+t), which removes x from the series' numerator parameters, so a
 * heavy buyer's expectation sums small terms instead of (1−z)^−x-sized ones.
 */

/** (a+b+x−1)/(a−1) · [1 − (1−z)^(a−1) ₂F₁(a+b−1−r, a−1; a+b+x−1; z)], the unconditional part of eq. 10. */
function expectedIfAlive(r: number, a: number, b: number, x: number, z: number): number {
  if (Math.abs(a - 1) < 1e-6) {
    // Removable singularity at a = 1: the bracket vanishes with (a − 1). Average
    // the two sides symmetrically; the error is O(h²) relative.
    const h = 1e-4;
    return (expectedIfAlive(r, 1 + h, b, x, z) + expectedIfAlive(r, 1 - h, b, x, z)) / 2;
  }
  // Both forms multiply a series by a power of (1 − z) that cancels its
  // growth; sum the one whose series grows less. Euler's grows like
  // (1 − z)^−(a−1): with a large (a and b in the millions when the dropout
  // probability is nearly the same for everyone, as on a few customers who
  // buy like clockwork) it overflows while its factor underflows (∞ · 0).
  // The direct form's grows like (1 − z(b+x)/(a+b+x−1))^−(r+x): large for
  // heavy buyers, which is why Euler's is the default.
  const eulerGrowth = (a - 1) * -Math.log1p(-z);
  const directGrowth = (r + x) * -Math.log1p((-z * (b + x)) / (a + b + x - 1));
  if (directGrowth < eulerGrowth) {
    const direct = hypergeometric2F1(r + x, b + x, a + b + x - 1, z);
    return ((a + b + x - 1) / (a - 1)) * (1 - Math.exp((r + x) * Math.log1p(-z)) * direct);
  }
  const series = hypergeometric2F1(a + b - 1 - r, a - 1, a + b + x - 1, z);
  return ((a + b + x - 1) / (a - 1)) * (1 - Math.pow(1 - z, a - 1) * series);
}

/** Odds that the customer has dropped out, over those that they are alive: a/(b+x−1)·((α+T)/(α+tₓ))^(r+x) for x > 0. */
function deadOdds({ r, alpha, a, b }: BgNbdParams, { x, tx, T }: PurchaseHistory): number {
  if (x === 0) return 0;
  return (a / (b + x - 1)) * Math.exp((r + x) * Math.log1p((T - tx) / (alpha + tx)));
}

/**
 * P(alive | x, tₓ, T): the probability the customer has not dropped out by T.
 * 1 for customers with no repeat purchase (BG/NBD lets dropout happen only
 * right after a purchase).
 */
export function bgNbdProbabilityAlive(params: BgNbdParams, history: PurchaseHistory): number {
  assertHistory(history);
  return 1 / (1 + deadOdds(params, history));
}

/**
 * E[Y(t) | x, tₓ, T]: expected repeat purchases in the next `t` time units of
 * a customer with this history (eq. 10).
 *
 * @example bgNbdExpectedPurchases({ r: 0.2426, alpha: 4.4137, a: 0.7930, b: 2.4262 }, 39, { x: 2, tx: 30.43, T: 38.86 }) // ≈ 1.226
 */
export function bgNbdExpectedPurchases(params: BgNbdParams, t: number, history: PurchaseHistory): number {
  assertHistory(history);
  assertInput(Number.isFinite(t) && t >= 0, `The horizon t must be non-negative; got ${t}.`);
  const { r, alpha, a, b } = params;
  const z = t / (alpha + history.T + t);
  if (t === 0) return 0;
  return expectedIfAlive(r, a, b, history.x, z) / (1 + deadOdds(params, history));
}

/**
 * E[Y(t) | x, T, alive at T]: the expected purchases of a customer known to be
 * alive, which depend on x and T only (not tₓ), so that
 * E[Y(t) | x, tₓ, T] = P(alive | x, tₓ, T) · this. A table of it over (x, T)
 * turns per-customer expectations into a lookup and P(alive)'s closed form.
 */
export function bgNbdExpectedPurchasesIfAlive(params: BgNbdParams, t: number, { x, T }: Pick<PurchaseHistory, 'x' | 'T'>): number {
  assertHistory({ x, tx: 0, T });
  assertInput(Number.isFinite(t) && t >= 0, `The horizon t must be non-negative; got ${t}.`);
  if (t === 0) return 0;
  return expectedIfAlive(params.r, params.a, params.b, x, t / (params.alpha + T + t));
}

/** E[X(t)]: expected repeat purchases of a newly acquired customer in their first `t` time units (eq. 7). */
export function bgNbdExpectedPurchasesNewCustomer(params: BgNbdParams, t: number): number {
  assertInput(Number.isFinite(t) && t >= 0, `The horizon t must be non-negative; got ${t}.`);
  if (t === 0) return 0;
  return expectedIfAlive(params.r, params.a, params.b, 0, t / (params.alpha + t));
}

/**
 * P(X(t) = k): probability that a new customer makes exactly k repeat
 * purchases in their first t time units (eq. 8), for histograms of the
 * calibration counts.
 */
export function bgNbdProbabilityOfPurchases(params: BgNbdParams, t: number, k: number): number {
  assertInput(Number.isInteger(k) && k >= 0, `The purchase count must be a non-negative integer; got ${k}.`);
  assertInput(Number.isFinite(t) && t > 0, `The period t must be positive; got ${t}.`);
  const { r, alpha, a, b } = params;
  const logStay = logRising(b, k) - logRising(a + b, k);
  const logKeep = r * Math.log(alpha / (alpha + t));
  const logOdds = Math.log(t / (alpha + t));
  const negativeBinomial = (j: number): number => Math.exp(logRising(r, j) - logGamma(j + 1) + logKeep + j * logOdds);
  const aliveThroughout = Math.exp(logStay) * negativeBinomial(k);
  if (k === 0) return aliveThroughout;
  let belowK = 0;
  for (let j = 0; j < k; j += 1) belowK += negativeBinomial(j);
  return aliveThroughout + Math.exp(logStay) * (a / (b + k - 1)) * (1 - belowK);
}
