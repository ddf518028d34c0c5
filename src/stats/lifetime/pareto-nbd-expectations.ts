import { assertInput } from '../invalid-input.js';
import { assertHistory } from './frequency-rows.js';
import { paretoNbdRowTerms, type ParetoNbdParams } from './pareto-nbd-likelihood.js';
import type { PurchaseHistory } from './types.js';

/*
 * Pareto/NBD expectations (Schmittlein, Morrison & Colombo 1987; Fader, Hardie
 * & Lee 2005 note, eqs. 17-18 and 24-25). Both expectations carry the factor
 * [1 − (k/(k+t))^(s−1)]/(s−1), written as −expm1(−(s−1)·log1p(t/k))/(s−1) so
 * that it stays exact as s → 1, where it tends to ln(1 + t/k).
 */
function lifetimeFactor(s: number, t: number, k: number): number {
  const log = Math.log1p(t / k);
  const power = s - 1;
  return power === 0 ? log : -Math.expm1(-power * log) / power;
}

/** P(alive | x, tₓ, T): the "alive at T" share of the customer's likelihood. */
export function paretoNbdProbabilityAlive(params: ParetoNbdParams, history: PurchaseHistory): number {
  assertHistory(history);
  const { logAlive, logDied } = paretoNbdRowTerms(params, history);
  return 1 / (1 + Math.exp(logDied - logAlive));
}

/** E[Y(t) | x, tₓ, T]: expected purchases in the next `t` time units of a customer with this history. */
export function paretoNbdExpectedPurchases(params: ParetoNbdParams, t: number, history: PurchaseHistory): number {
  assertInput(Number.isFinite(t) && t >= 0, `The horizon t must be non-negative; got ${t}.`);
  const { r, alpha, s, beta } = params;
  const { x, T } = history;
  return (((r + x) * (beta + T)) / (alpha + T)) * lifetimeFactor(s, t, beta + T) * paretoNbdProbabilityAlive(params, history);
}

/** E[X(t)]: expected purchases of a newly acquired customer in their first `t` time units. */
export function paretoNbdExpectedPurchasesNewCustomer(params: ParetoNbdParams, t: number): number {
  assertInput(Number.isFinite(t) && t >= 0, `The horizon t must be non-negative; got ${t}.`);
  const { r, alpha, s, beta } = params;
  return ((r * beta) / alpha) * lifetimeFactor(s, t, beta);
}
