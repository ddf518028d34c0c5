import { npsDifference, proportionDifference, welchDifference, type DifferenceEstimate, type MeanSummary } from '../../stats/index.js';
import type { CohortOutcomes, GroupOutcomes } from './cohort-outcomes.js';

/** Fewer answers than this in either group, and a satisfaction difference is not estimated. */
export const MIN_ANSWERS = 10;

export interface RefundComparison {
  /** Share of eligible customers with an early refund, per group. */
  windowShare: number;
  otherShare: number;
  /** Window minus others, as a share (Newcombe's interval). */
  difference: DifferenceEstimate;
  /** Early refund money per eligible customer, per group: means and their sampling variances. */
  windowMoney: MeanSummary;
  otherMoney: MeanSummary;
}

export interface SatisfactionComparison {
  instrument: 'nps' | 'csat';
  windowScore: number;
  otherScore: number;
  difference: DifferenceEstimate;
  /** The difference over the pooled standard deviation of the answers (Cohen's d). */
  standardised: number;
}

function meanOf(n: number, sum: number, squares: number): MeanSummary {
  const mean = n > 0 ? sum / n : 0;
  const variance = n > 1 ? Math.max(0, (squares - n * mean * mean) / (n - 1)) : 0;
  return { n, mean, sd: Math.sqrt(variance) };
}

/** Early refunds of window customers against the others, among customers whose refund period has passed; null when a group has none. */
export function refundComparison(o: CohortOutcomes): RefundComparison | null {
  if (!o.has.refunds || o.window.refundEligible === 0 || o.others.refundEligible === 0) return null;
  const w = o.window;
  const r = o.others;
  return {
    windowShare: w.refunded / w.refundEligible,
    otherShare: r.refunded / r.refundEligible,
    difference: proportionDifference({ count: w.refunded, n: w.refundEligible }, { count: r.refunded, n: r.refundEligible }),
    windowMoney: meanOf(w.refundEligible, w.refundMoney, w.refundMoneySquares),
    otherMoney: meanOf(r.refundEligible, r.refundMoney, r.refundMoneySquares),
  };
}

const npsCountsOf = (g: GroupOutcomes): { promoters: number; passives: number; detractors: number } => ({ promoters: g.promoters, passives: g.passives, detractors: g.detractors });
const answers = (g: GroupOutcomes): number => g.promoters + g.passives + g.detractors;

/**
 * Satisfaction of window customers against the others, from each customer's
 * latest answer: NPS (difference of two NPS values, each answer scored +100,
 * 0 or −100, normal interval) and CSAT (Welch), each when both groups gave at
 * least MIN_ANSWERS answers.
 */
export function satisfactionComparisons(o: CohortOutcomes): SatisfactionComparison[] {
  const out: SatisfactionComparison[] = [];
  if (o.has.nps && answers(o.window) >= MIN_ANSWERS && answers(o.others) >= MIN_ANSWERS) {
    const difference = npsDifference(npsCountsOf(o.window), npsCountsOf(o.others));
    const score = (g: GroupOutcomes): number => (100 * (g.promoters - g.detractors)) / answers(g);
    // Each answer scores +100, 0 or −100: its standard deviation per group is the NPS variance times n.
    const sd = (g: GroupOutcomes): number => {
      const n = answers(g);
      const p = g.promoters / n;
      const d = g.detractors / n;
      return 100 * Math.sqrt(Math.max(0, p + d - (p - d) ** 2));
    };
    const pooled = Math.sqrt((sd(o.window) ** 2 + sd(o.others) ** 2) / 2);
    out.push({ instrument: 'nps', windowScore: score(o.window), otherScore: score(o.others), difference, standardised: pooled > 0 ? difference.estimate / pooled : 0 });
  }
  if (o.has.csat && o.window.csat.n >= MIN_ANSWERS && o.others.csat.n >= MIN_ANSWERS) {
    const a = meanOf(o.window.csat.n, o.window.csat.sum, o.window.csat.squares);
    const b = meanOf(o.others.csat.n, o.others.csat.sum, o.others.csat.squares);
    if (a.sd > 0 || b.sd > 0) {
      const difference = welchDifference(a, b);
      const pooled = Math.sqrt((a.sd ** 2 + b.sd ** 2) / 2);
      out.push({ instrument: 'csat', windowScore: a.mean, otherScore: b.mean, difference, standardised: pooled > 0 ? difference.estimate / pooled : 0 });
    }
  }
  return out;
}
