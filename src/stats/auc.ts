import { normalCritical } from './critical-value.js';
import { assertCount, assertInput } from './invalid-input.js';
import type { IntervalEstimate } from './types.js';

/** How many positives and negatives got one score: SQL's GROUP BY score (rounded, if the scores are continuous). */
export interface ScoreBin {
  score: number;
  positives: number;
  negatives: number;
}

export interface AucEstimate extends IntervalEstimate {
  positives: number;
  negatives: number;
}

/**
 * Area under the ROC curve from score bins: the Mann–Whitney probability
 * P(score₊ > score₋) + ½·P(tie) (Bamber 1975), with the DeLong, DeLong &
 * Clarke-Pearson (1988, Biometrics 44:837) variance from placement values
 * V₁₀ = (negatives below + ½ tied)/n₀ per positive and V₀₁ likewise per
 * negative: Var = s²(V₁₀)/n₁ + s²(V₀₁)/n₀. Binning keeps it mergeable: rows
 * sharing a score share their placement values, so the result is exact for
 * the binned scores. Interval AUC ± z·SE, clipped to [0, 1] (as pROC).
 */
export function aucFromBins(bins: readonly ScoreBin[], level = 0.95): AucEstimate {
  const merged = new Map<number, { positives: number; negatives: number }>();
  for (const bin of bins) {
    assertCount(bin.positives, 'positives');
    assertCount(bin.negatives, 'negatives');
    assertInput(Number.isFinite(bin.score), `Scores must be finite; got ${bin.score}.`);
    const entry = merged.get(bin.score) ?? { positives: 0, negatives: 0 };
    entry.positives += bin.positives;
    entry.negatives += bin.negatives;
    merged.set(bin.score, entry);
  }
  const sorted = [...merged.entries()].sort((a, b) => a[0] - b[0]).map(([, counts]) => counts);
  const n1 = sorted.reduce((s, b) => s + b.positives, 0);
  const n0 = sorted.reduce((s, b) => s + b.negatives, 0);
  assertInput(n1 >= 2 && n0 >= 2, `AUC needs at least 2 positives and 2 negatives; got ${n1} and ${n0}.`);
  const placements: { positives: number; negatives: number; v10: number; v01: number }[] = [];
  let negativesBelow = 0;
  let positivesBelow = 0;
  for (const bin of sorted) {
    const positivesAbove = n1 - positivesBelow - bin.positives;
    placements.push({
      ...bin,
      v10: (negativesBelow + 0.5 * bin.negatives) / n0,
      v01: (positivesAbove + 0.5 * bin.positives) / n1,
    });
    negativesBelow += bin.negatives;
    positivesBelow += bin.positives;
  }
  const estimate = placements.reduce((s, b) => s + b.positives * b.v10, 0) / n1;
  const s10 = placements.reduce((s, b) => s + b.positives * (b.v10 - estimate) ** 2, 0) / (n1 - 1);
  const s01 = placements.reduce((s, b) => s + b.negatives * (b.v01 - estimate) ** 2, 0) / (n0 - 1);
  const standardError = Math.sqrt(s10 / n1 + s01 / n0);
  const half = normalCritical(level) * standardError;
  return {
    estimate,
    standardError,
    interval: { lower: Math.max(0, estimate - half), upper: Math.min(1, estimate + half), level },
    n: n1 + n0,
    positives: n1,
    negatives: n0,
  };
}

/** AUC of raw scores against 0/1 (or boolean) labels; ties in score count one half. */
export function auc(scores: readonly number[], labels: readonly (number | boolean)[], level = 0.95): AucEstimate {
  assertInput(scores.length === labels.length, `Got ${scores.length} scores but ${labels.length} labels.`);
  const bins = scores.map((score, i): ScoreBin => {
    const label = labels[i];
    assertInput(label === 0 || label === 1 || typeof label === 'boolean', `Labels must be 0/1 or boolean; got ${String(label)}.`);
    const positive = label === 1 || label === true;
    return { score, positives: positive ? 1 : 0, negatives: positive ? 0 : 1 };
  });
  return aucFromBins(bins, level);
}
