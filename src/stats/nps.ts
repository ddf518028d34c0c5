import { normalCritical } from './critical-value.js';
import { normalCdf } from './distributions/normal.js';
import { assertCount, assertInput } from './invalid-input.js';
import type { DifferenceEstimate, IntervalEstimate } from './types.js';

/** Answers to "How likely are you to recommend us?" on 0–10: promoters 9–10, passives 7–8, detractors 0–6. */
export interface NpsCounts {
  promoters: number;
  passives: number;
  detractors: number;
}

/** Counts the three NPS groups from 0–10 scores (what a SQL GROUP BY would return). */
export function npsCounts(scores: Iterable<number>): NpsCounts {
  const counts: NpsCounts = { promoters: 0, passives: 0, detractors: 0 };
  for (const score of scores) {
    assertInput(Number.isInteger(score) && score >= 0 && score <= 10, `An NPS answer must be an integer 0–10; got ${score}.`);
    if (score >= 9) counts.promoters += 1;
    else if (score >= 7) counts.passives += 1;
    else counts.detractors += 1;
  }
  return counts;
}

function npsParts(counts: NpsCounts): { n: number; nps: number; variance: number } {
  assertCount(counts.promoters, 'promoters');
  assertCount(counts.passives, 'passives');
  assertCount(counts.detractors, 'detractors');
  const n = counts.promoters + counts.passives + counts.detractors;
  assertInput(n > 0, 'NPS needs at least one answer.');
  const p = counts.promoters / n;
  const d = counts.detractors / n;
  // Var(NPS) = 100²·[p + d − (p − d)²]/n: each answer scores +100, 0 or −100, and this is
  // that score's variance over n (the variance behind the Wald interval in Rocks 2016, "Interval estimation for the
  // 'Net Promoter Score'", The American Statistician 70:365).
  return { n, nps: 100 * (p - d), variance: (10_000 * (p + d - (p - d) ** 2)) / n };
}

/**
 * Net Promoter Score (−100..100) with a normal-approximation interval, clipped to [−100, 100].
 *
 * @example npsInterval({ promoters: 50, passives: 30, detractors: 20 }) // 30, SE √61 ≈ 7.81, ≈ [14.7, 45.3]
 */
export function npsInterval(counts: NpsCounts, level = 0.95): IntervalEstimate {
  const { n, nps, variance } = npsParts(counts);
  const standardError = Math.sqrt(variance);
  const half = normalCritical(level) * standardError;
  return { estimate: nps, standardError, interval: { lower: Math.max(-100, nps - half), upper: Math.min(100, nps + half), level }, n };
}

/**
 * Difference of two independent NPS values (a − b) in points, with Var = Var_a + Var_b,
 * a normal interval and a two-sided z test.
 */
export function npsDifference(a: NpsCounts, b: NpsCounts, level = 0.95): DifferenceEstimate {
  const first = npsParts(a);
  const second = npsParts(b);
  const estimate = first.nps - second.nps;
  const standardError = Math.sqrt(first.variance + second.variance);
  const half = normalCritical(level) * standardError;
  const statistic = standardError > 0 ? estimate / standardError : estimate === 0 ? 0 : Math.sign(estimate) * Number.POSITIVE_INFINITY;
  return {
    estimate,
    standardError,
    interval: { lower: estimate - half, upper: estimate + half, level },
    statistic,
    pValue: 2 * normalCdf(-Math.abs(statistic)),
    n: [first.n, second.n],
  };
}
