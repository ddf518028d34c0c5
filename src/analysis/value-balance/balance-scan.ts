import { benjaminiHochberg, type Interval } from '../../stats/index.js';
import type { Grouping } from '../profile/groupings.js';
import { PRACTICAL_PRICE_SHARE } from '../thresholds.js';
import { deviation, type Deviation, type FairValueLine } from './balance-math.js';
import type { GroupResiduals } from './segment-residuals.js';

export type BalanceVerdict = 'over-charged' | 'over-served' | 'on the line' | 'not tested';

/** One segment (a grouping at one level) against the fair-value line. */
export interface SegmentBalance {
  grouping: Grouping;
  level: string;
  customers: number;
  active: number;
  deviation: Deviation | null;
  tested: boolean;
  qValue: number;
  verdict: BalanceVerdict;
  /** Deviation × 12 × active customers: a year's money at the segment's present size. */
  yearly: { estimate: number; interval: Interval } | null;
}

export interface BalanceOptions {
  fdr: number;
  /** The workspace's money threshold (per customer-month). */
  money: number;
  /** Segments with fewer customers in the fit are shown but not tested. */
  minimumRespondents: number;
  level?: number;
}

/** The smallest deviation worth claiming: PRACTICAL_PRICE_SHARE of the overall mean price per customer-month, at least the money threshold. */
export function practicalDeviation(line: Pick<FairValueLine, 'meanPrice'>, options: Pick<BalanceOptions, 'money'>): number {
  return Math.max(PRACTICAL_PRICE_SHARE * Math.abs(line.meanPrice), options.money);
}

function yearly(d: Deviation | null, active: number): SegmentBalance['yearly'] {
  if (d === null) return null;
  const scale = 12 * active;
  return { estimate: d.estimate * scale, interval: { lower: d.interval.lower * scale, upper: d.interval.upper * scale, level: d.interval.level } };
}

/**
 * Every segment's deviation from the line, screened together: Benjamini-
 * Hochberg at the false discovery rate over every tested segment (two-sided),
 * a segment flagged when its q-value passes, its interval excludes zero and
 * its deviation is at least the practical threshold. Above the line:
 * over-charged (paying more than the value they get warrants); below:
 * over-served (value given away).
 */
export function judgeSegments(groups: readonly { grouping: Grouping; residuals: readonly GroupResiduals[] }[], line: FairValueLine, meat: readonly (readonly number[])[], options: BalanceOptions): SegmentBalance[] {
  const threshold = practicalDeviation(line, options);
  const judged = groups.flatMap(({ grouping, residuals }) =>
    residuals.map((g) => {
      const d = deviation(line, g.sums, meat, options.level ?? 0.95);
      return { grouping, level: g.level, customers: g.customers, active: g.active, deviation: d, tested: d !== null && g.sums.n >= options.minimumRespondents };
    }),
  );
  const tested = judged.filter((j) => j.tested);
  const q = benjaminiHochberg(tested.map((j) => j.deviation?.pValue ?? 1));
  const qOf = new Map(tested.map((j, i) => [j, q[i] ?? 1]));
  return judged.map((j): SegmentBalance => {
    const d = j.deviation;
    const qValue = qOf.get(j) ?? 1;
    let verdict: BalanceVerdict = j.tested ? 'on the line' : 'not tested';
    if (j.tested && d !== null && qValue <= options.fdr && Math.abs(d.estimate) >= threshold) {
      if (d.estimate > 0 && d.interval.lower > 0) verdict = 'over-charged';
      if (d.estimate < 0 && d.interval.upper < 0) verdict = 'over-served';
    }
    return { ...j, qValue, verdict, yearly: yearly(d, j.active) };
  });
}
