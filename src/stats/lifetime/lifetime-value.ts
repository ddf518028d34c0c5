import { assertInput } from '../invalid-input.js';

/*
 * Discounted lifetime value in the non-contractual setting, as lifetimes
 * (Davidson-Pilon, `customer_lifetime_value`) and the BTYD walkthrough compute
 * it for a finite horizon: month m's expected purchases, E[Y(m·k)] − E[Y((m−1)·k)]
 * with k model time units per month, are discounted to the present at the end
 * of month m by (1 + d)^m and priced at the expected spend per purchase E(M):
 *   CLV = E(M) · Σ_{m=1}^{M} [E[Y(m·k)] − E[Y((m−1)·k)]] / (1 + d)^m.
 * Fader, Hardie & Lee (2005b) define the infinite-horizon analogue with
 * continuous discounting (DET, via Tricomi's U function); that form is not
 * implemented here. The time unit is the fitted model's: for models fitted in
 * weeks, k = 365.25/12/7 ≈ 4.348 (lifetimes rounds to 4.345 for freq='W', and
 * uses k = 30 for freq='D').
 */

/** Weeks in an average Gregorian month. */
export const WEEKS_PER_MONTH = 365.25 / 12 / 7;

export interface LifetimeValueHorizon {
  /** Months of future purchases counted, M ≥ 1. */
  months: number;
  /** Discount rate per month, d ≥ 0 (e.g. 0.01). */
  monthlyDiscountRate: number;
  /** Model time units per month, k (weeks: WEEKS_PER_MONTH). */
  periodsPerMonth: number;
}

function assertHorizon({ months, monthlyDiscountRate, periodsPerMonth }: LifetimeValueHorizon): void {
  assertInput(Number.isInteger(months) && months >= 1, `The horizon must be a whole number of months ≥ 1; got ${months}.`);
  assertInput(Number.isFinite(monthlyDiscountRate) && monthlyDiscountRate >= 0, `The monthly discount rate must be ≥ 0; got ${monthlyDiscountRate}.`);
  assertInput(Number.isFinite(periodsPerMonth) && periodsPerMonth > 0, `Periods per month must be positive; got ${periodsPerMonth}.`);
}

/**
 * Σ_{m=1}^{M} [E[Y(m·k)] − E[Y((m−1)·k)]] / (1 + d)^m.
 *
 * @param expectedPurchasesBy t ↦ E[Y(t) | history], cumulative expected purchases in the next t time units
 */
export function discountedExpectedPurchases(expectedPurchasesBy: (t: number) => number, horizon: LifetimeValueHorizon): number {
  assertHorizon(horizon);
  const { months, monthlyDiscountRate, periodsPerMonth } = horizon;
  let total = 0;
  let previous = expectedPurchasesBy(0);
  for (let m = 1; m <= months; m += 1) {
    const cumulative = expectedPurchasesBy(m * periodsPerMonth);
    total += (cumulative - previous) / Math.pow(1 + monthlyDiscountRate, m);
    previous = cumulative;
  }
  return total;
}

/**
 * Discounted lifetime value of one customer over the horizon: E(M) times the
 * discounted expected purchases.
 *
 * @example
 * customerLifetimeValue((t) => bgNbdExpectedPurchases(bg, t, history), gammaGammaExpectedSpend(gg, history),
 *   { months: 12, monthlyDiscountRate: 0.01, periodsPerMonth: WEEKS_PER_MONTH })
 */
export function customerLifetimeValue(expectedPurchasesBy: (t: number) => number, expectedSpend: number, horizon: LifetimeValueHorizon): number {
  assertInput(Number.isFinite(expectedSpend) && expectedSpend >= 0, `Expected spend per purchase must be a finite amount ≥ 0; got ${expectedSpend}.`);
  return expectedSpend * discountedExpectedPurchases(expectedPurchasesBy, horizon);
}
