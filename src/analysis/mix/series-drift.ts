import { benjaminiHochberg, proportionDifference, wilsonInterval, type DifferenceEstimate, type IntervalEstimate } from '../../stats/index.js';
import type { CohortRow } from './cohort-counts.js';
import type { CohortPlan } from './cohorts.js';
import { isIdealKind, type MixSeries } from './profile-series.js';
import { shareTrend, type ShareTrend } from './share-trend.js';

/** Customers of a group of cohorts matching a series. */
export interface Tally {
  count: number;
  n: number;
}

/** One series over the cohorts: its shares, the ends compared, the trend, and whether it drifted. */
export interface SeriesDrift {
  series: MixSeries;
  byCohort: { cohort: string; customers: number; matching: number; share: IntervalEstimate | null }[];
  early: Tally;
  late: Tally;
  earlyShare: IntervalEstimate | null;
  lateShare: IntervalEstimate | null;
  /** Late share minus early share (Newcombe's interval). */
  difference: DifferenceEstimate | null;
  trend: ShareTrend | null;
  /** Benjamini-Hochberg over the trend tests of every series followed. */
  qValue: number | null;
  /** The drift is claimed: see seriesDrifts. */
  passes: boolean;
  direction: 'fell' | 'rose' | null;
  /** Drifting away from the ideal: an ideal rule's share falling or a misaligned segment's rising. */
  away: boolean;
}

export interface DriftOptions {
  /** False discovery rate over the series' trend tests. */
  alpha: number;
  /** Smallest change worth an alert, in percentage points. */
  practicalPoints: number;
}

const tallyOf = (rows: readonly CohortRow[], cohorts: ReadonlySet<string>, at: number): Tally =>
  rows.filter((r) => cohorts.has(r.cohort)).reduce((t, r) => ({ count: t.count + (r.matching[at] ?? 0), n: t.n + r.customers }), { count: 0, n: 0 });

/**
 * Each series' drift. A drift is claimed (an alert when it is away from the
 * ideal) when all hold: the trend test passes Benjamini-Hochberg at `alpha`
 * over every series followed; the last year's share differs from the
 * first year's by at least the practical threshold, with a 95% interval
 * clear of zero; and both point the same way. Under no drift at all, some
 * series is claimed in at most `alpha` of analyses: the trend tests alone
 * keep that rate, and the other conditions only remove claims.
 */
export function seriesDrifts(plan: Pick<CohortPlan, 'index' | 'early' | 'late'>, rows: readonly CohortRow[], series: readonly MixSeries[], options: DriftOptions): SeriesDrift[] {
  const early = new Set(plan.early);
  const late = new Set(plan.late);
  const drafts = series.map((s, at) => {
    const byCohort = rows.map((r) => {
      const matching = r.matching[at] ?? 0;
      return { cohort: r.cohort, customers: r.customers, matching, share: r.customers > 0 ? wilsonInterval({ count: matching, n: r.customers }) : null };
    });
    const e = tallyOf(rows, early, at);
    const l = tallyOf(rows, late, at);
    const trend = shareTrend(rows.map((r) => ({ index: plan.index.get(r.cohort) ?? 0, matching: r.matching[at] ?? 0, customers: r.customers })));
    return {
      series: s,
      byCohort,
      early: e,
      late: l,
      earlyShare: e.n > 0 ? wilsonInterval(e) : null,
      lateShare: l.n > 0 ? wilsonInterval(l) : null,
      difference: e.n > 0 && l.n > 0 ? proportionDifference(l, e) : null,
      trend,
    };
  });
  const tested = drafts.filter((x) => x.trend !== null);
  const q = benjaminiHochberg(tested.map((x) => x.trend?.pValue ?? 1));
  return drafts.map((x) => {
    const at = tested.indexOf(x);
    const qValue = at < 0 ? null : (q[at] ?? 1);
    const diff = x.difference;
    const slope = x.trend?.slope ?? 0;
    const clear = diff !== null && (diff.interval.upper < 0 || diff.interval.lower > 0);
    const passes =
      qValue !== null && qValue <= options.alpha && diff !== null && clear && Math.abs(diff.estimate) * 100 >= options.practicalPoints && Math.sign(diff.estimate) === Math.sign(slope);
    const direction = passes ? (slope < 0 ? 'fell' : 'rose') : null;
    return { ...x, qValue, passes, direction, away: direction !== null && (isIdealKind(x.series.kind) ? direction === 'fell' : direction === 'rose') };
  });
}
