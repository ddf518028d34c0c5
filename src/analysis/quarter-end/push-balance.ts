import { normalCritical, type Interval } from '../../stats/index.js';
import type { GroupOutcomes } from './cohort-outcomes.js';
import type { HazardModel } from './hazard-model.js';
import type { IntakeComparison } from './intake-model.js';
import type { RefundComparison } from './outcome-comparisons.js';
import { DAYS_PER_MONTH } from './settings.js';
import type { SurvivalPoint } from './survival-curves.js';

/** What the quarter-end push brought and what it cost, in money over the customers' first months. */
export interface PushBalance {
  horizonMonths: number;
  /** Customers acquired in the windows. */
  windowCustomers: number;
  /** Of them, those the push added: windowCustomers · (1 − 1/intake ratio). */
  extraCustomers: number;
  /** Money an active customer-month brings (revenue + fees − credits − cost of goods, per month observed). */
  monthlyMargin: number;
  /** A customer acquired outside the windows over its first horizonMonths: active months expected, and net value (less its early refunds). */
  otherActiveMonths: number;
  otherValue: number;
  /** The same active months for a window customer (the others' survival raised to the hazard ratio). */
  windowActiveMonths: number;
  /** extraCustomers × otherValue. */
  brought: number;
  /** Window customers' excess early refunds: windowCustomers × (refunds per window customer − per other customer). */
  refundCost: number;
  /** Value lost to faster churn: windowCustomers × monthlyMargin × (otherActiveMonths − windowActiveMonths). */
  churnCost: number;
  /** brought − refundCost − churnCost, with its delta-method interval. */
  net: number;
  interval: Interval;
  /** Parts left at zero for want of data, in words. */
  missing: string[];
}

/** A month's churn share is read from the life table while this many customers are at risk; later months repeat the last ones'. */
const RELIABLE_AT_RISK = 20;
const TAIL_MONTHS = 6;

/**
 * Survival at each month's end up to `months`, from the others' life table;
 * past its reliable part, each month loses the mean share of the last
 * TAIL_MONTHS reliable months (a constant hazard). Null without any.
 */
function survivalCurve(points: readonly SurvivalPoint[], months: number): number[] | null {
  const reliable = points.filter((p) => p.atRisk >= RELIABLE_AT_RISK);
  if (reliable.length === 0) return null;
  const shares = reliable.map((p, i) => 1 - p.survival / (i === 0 ? 1 : (reliable[i - 1]?.survival ?? 1)));
  const tail = shares.slice(-TAIL_MONTHS);
  const tailShare = tail.reduce((s, x) => s + x, 0) / tail.length;
  const curve: number[] = [];
  let s = 1;
  for (let m = 0; m < months; m += 1) {
    s *= 1 - (m < shares.length ? (shares[m] ?? 0) : tailShare);
    curve.push(Math.max(0, s));
  }
  return curve;
}

/** Active months in the first months (trapezoid between month ends) and its derivative in log HR, for survival S^HR. */
function activeMonths(curve: readonly number[], hazardRatio: number): { months: number; slope: number } {
  let months = 0;
  let slope = 0;
  let before = 1;
  for (const s of curve) {
    const a = before ** hazardRatio;
    const b = s ** hazardRatio;
    months += (a + b) / 2;
    // d/dlogHR of S^HR = HR·ln S·S^HR.
    const da = before > 0 ? hazardRatio * Math.log(before) * a : 0;
    const db = s > 0 ? hazardRatio * Math.log(s) * b : 0;
    slope += (da + db) / 2;
    before = s;
  }
  return { months, slope };
}

/**
 * The push's balance over the customers' first `horizonMonths`: had there
 * been no push, windowCustomers / intake ratio customers would have come in
 * those days, worth what other customers are worth; the push brought the
 * rest (extraCustomers) at that value, and its customers cost their excess
 * early refunds and the months of margin lost to their faster churn. So
 * net = N·V_o − (N/IR)·V_o − N·(excess refunds + lost months × margin)
 * = N·V_w − (N/IR)·V_o, with V the value of a customer of each kind.
 *
 * Interval: delta method over the estimated log intake ratio, log hazard
 * ratio and mean early refunds of each group, taken as independent; the
 * margin per month and the others' survival curve are estimated from many
 * more customers and are taken as known.
 */
export function pushBalance(inputs: {
  intake: IntakeComparison;
  hazard: HazardModel | null;
  refunds: RefundComparison | null;
  window: GroupOutcomes;
  others: GroupOutcomes;
  otherSurvival: readonly SurvivalPoint[];
  horizonMonths: number;
  level?: number;
}): PushBalance | null {
  const { intake, hazard, refunds, horizonMonths } = inputs;
  const exposureMonths = (inputs.window.exposureDays + inputs.others.exposureDays) / DAYS_PER_MONTH;
  if (exposureMonths <= 0) return null;
  const missing: string[] = [];
  const monthlyMargin = (inputs.window.margin + inputs.others.margin) / exposureMonths;
  const curve = survivalCurve(inputs.otherSurvival, horizonMonths);
  const hr = hazard?.adjusted.rateRatio ?? 1;
  if (hazard === null || curve === null) missing.push('the value lost to churn (no hazard ratio or survival curve)');
  const other = curve === null ? { months: horizonMonths, slope: 0 } : activeMonths(curve, 1);
  const win = curve === null || hazard === null ? other : activeMonths(curve, hr);
  const refundWindow = refunds?.windowMoney.mean ?? 0;
  const refundOther = refunds?.otherMoney.mean ?? 0;
  if (refunds === null) missing.push('early refunds (no customer whose refund period has passed in one group)');

  const n = inputs.window.customers;
  const ir = intake.ratio.rateRatio;
  const otherValue = monthlyMargin * other.months - refundOther;
  const extraCustomers = n * (1 - 1 / ir);
  const brought = extraCustomers * otherValue;
  const refundCost = n * (refundWindow - refundOther);
  const churnCost = n * monthlyMargin * (other.months - win.months);
  const net = brought - refundCost - churnCost;

  const varianceOfMean = (m: { n: number; sd: number }): number => (m.n > 0 ? (m.sd * m.sd) / m.n : 0);
  const logHrSe = hazard?.adjusted.standardError ?? 0;
  const variance =
    ((n * otherValue) / ir) ** 2 * intake.ratio.standardError ** 2 +
    (n * monthlyMargin * win.slope) ** 2 * logHrSe ** 2 +
    (refunds === null ? 0 : n ** 2 * varianceOfMean(refunds.windowMoney) + (n / ir) ** 2 * varianceOfMean(refunds.otherMoney));
  const level = inputs.level ?? 0.95;
  const half = normalCritical(level) * Math.sqrt(variance);
  return {
    horizonMonths,
    windowCustomers: n,
    extraCustomers,
    monthlyMargin,
    otherActiveMonths: other.months,
    otherValue,
    windowActiveMonths: win.months,
    brought,
    refundCost,
    churnCost,
    net,
    interval: { lower: net - half, upper: net + half, level },
    missing,
  };
}
