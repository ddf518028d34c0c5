import { assertInput } from '../invalid-input.js';
import type { SignalIssue } from './signal.js';
import type { FrequencyRow, PurchaseHistory } from './types.js';

/*
 * The holdout check of Fader, Hardie & Lee (2005, Fig. 5; BTYD's
 * "conditional expectations" plot): group customers by calibration frequency
 * 0, 1, …, k−1 and k+, and compare the mean purchases each group actually made
 * in the holdout with the mean the model expected, E[Y(t*) | x, tₓ, T].
 * It also scores the model against the prediction that ignores history, every
 * customer buying at the common holdout rate: skill = 1 − MSE(model)/MSE(common).
 */

export interface HoldoutRow extends FrequencyRow {
  /** Purchases (distinct purchase days) the `count` customers each made in the holdout. */
  holdoutPurchases: number;
  /** Holdout length, in the model's time unit. */
  holdoutLength: number;
}

export interface FrequencyBin {
  /** '0', '1', …, and 'k+' for the last bin. */
  label: string;
  minFrequency: number;
  /** Inclusive; Infinity for the open last bin. */
  maxFrequency: number;
  n: number;
  actualMean: number;
  expectedMean: number;
}

export interface HoldoutComparison {
  bins: FrequencyBin[];
  n: number;
  actualTotal: number;
  expectedTotal: number;
  /** Mean squared error of the model's per-customer predictions. */
  meanSquaredError: number;
  /** Mean squared error of predicting every customer the common holdout rate × their holdout length. */
  baselineMeanSquaredError: number;
  /** 1 − meanSquaredError / baselineMeanSquaredError: the share of holdout variation the history explains. */
  skill: number;
  /** Set when the model predicts the holdout no better than the common rate. */
  issue: SignalIssue | null;
}

/** Below this skill the model's predictions are treated as no better than the common rate. */
export const MINIMUM_HOLDOUT_SKILL = 0.05;

/**
 * @param predict E[Y(t) | history] from a fitted model, e.g. `(t, h) => bgNbdExpectedPurchases(fit.params, t, h)`.
 * @param openBin calibration frequency from which customers share the last bin (BTYD and FHL05 use 7).
 */
export function holdoutComparison(rows: readonly HoldoutRow[], predict: (t: number, history: PurchaseHistory) => number, openBin = 7): HoldoutComparison {
  assertInput(rows.length > 0, 'A holdout comparison needs at least one customer.');
  assertInput(Number.isInteger(openBin) && openBin >= 1, `The open bin must be an integer ≥ 1; got ${openBin}.`);
  const sums = Array.from({ length: openBin + 1 }, () => ({ n: 0, actual: 0, expected: 0 }));
  const predictions = rows.map((row) => {
    assertInput(Number.isFinite(row.holdoutPurchases) && row.holdoutPurchases >= 0, `Holdout purchases must be ≥ 0; got ${row.holdoutPurchases}.`);
    assertInput(Number.isFinite(row.holdoutLength) && row.holdoutLength > 0, `The holdout length must be positive; got ${row.holdoutLength}.`);
    const expected = predict(row.holdoutLength, row);
    const bin = sums[Math.min(row.x, openBin)] as { n: number; actual: number; expected: number };
    bin.n += row.count;
    bin.actual += row.count * row.holdoutPurchases;
    bin.expected += row.count * expected;
    return expected;
  });
  const n = rows.reduce((sum, row) => sum + row.count, 0);
  const actualTotal = rows.reduce((sum, row) => sum + row.count * row.holdoutPurchases, 0);
  const commonRate = actualTotal / rows.reduce((sum, row) => sum + row.count * row.holdoutLength, 0);
  let squaredError = 0;
  let baselineSquaredError = 0;
  rows.forEach((row, i) => {
    squaredError += row.count * (row.holdoutPurchases - (predictions[i] ?? 0)) ** 2;
    baselineSquaredError += row.count * (row.holdoutPurchases - commonRate * row.holdoutLength) ** 2;
  });
  const meanSquaredError = squaredError / n;
  const baselineMeanSquaredError = baselineSquaredError / n;
  const skill = baselineMeanSquaredError > 0 ? 1 - meanSquaredError / baselineMeanSquaredError : Number.NaN;
  const bins = sums.map((sum, x) => ({
    label: x === openBin ? `${openBin}+` : String(x),
    minFrequency: x,
    maxFrequency: x === openBin ? Number.POSITIVE_INFINITY : x,
    n: sum.n,
    actualMean: sum.n > 0 ? sum.actual / sum.n : Number.NaN,
    expectedMean: sum.n > 0 ? sum.expected / sum.n : Number.NaN,
  }));
  const issue: SignalIssue | null =
    skill >= MINIMUM_HOLDOUT_SKILL
      ? null
      : {
          code: 'no_better_than_mean_in_holdout',
          kind: 'no_signal',
          sentence: 'In the holdout period the model predicted customers’ purchases no better than giving every customer the same average, so their history did not help.',
          evidence: { skill, meanSquaredError, baselineMeanSquaredError, threshold: MINIMUM_HOLDOUT_SKILL },
        };
  return {
    bins,
    n,
    actualTotal,
    expectedTotal: sums.reduce((total, sum) => total + sum.expected, 0),
    meanSquaredError,
    baselineMeanSquaredError,
    skill,
    issue,
  };
}
