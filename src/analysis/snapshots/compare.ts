import { normalCdf, normalCritical, proportionDifference, screen } from '../../stats/index.js';
import type { Finding, Interval } from '../result.js';
import { DIFFERENCE_UNITS, type PracticalThresholds } from '../thresholds.js';
import { words } from '../wording.js';
import { mixKey, overlapVariance, type PairedSums, type PairMoments } from './paired.js';
import type { Snapshot, SnapshotEstimate, SnapshotMeasures } from './snapshot.js';

interface Shift {
  key: string;
  label: string;
  before: string;
  after: string;
  estimate: number;
  interval: Interval;
  pValue: number;
  unit: string;
  shown: string;
  n: number;
  /** Compared customer by customer over the customers both snapshots share. */
  paired: boolean;
}

/** Normal-approximation interval and two-sided p-value of an estimate with standard error `se`. */
function normalTest(estimate: number, se: number): { interval: Interval; pValue: number } {
  const z = normalCritical(0.95);
  return {
    interval: { lower: estimate - z * se, upper: estimate + z * se, level: 0.95 },
    pValue: se > 0 ? 2 * normalCdf(-Math.abs(estimate / se)) : estimate === 0 ? 1 : 0,
  };
}

/**
 * A difference of two estimates (after − before) in `scale` units, normal
 * approximation; paired by `moments` (over the shared customers) when given.
 */
function shiftOf(
  key: string,
  label: string,
  before: SnapshotEstimate,
  after: SnapshotEstimate,
  scale: number,
  unit: string,
  format: (x: number) => string,
  moments?: PairMoments,
): Shift {
  const estimate = (after.estimate - before.estimate) * scale;
  const variance =
    moments === undefined
      ? before.standardError ** 2 + after.standardError ** 2
      : overlapVariance(before.standardError ** 2, after.standardError ** 2, before.n, after.n, moments);
  return {
    key,
    label,
    before: format(before.estimate),
    after: format(after.estimate),
    estimate,
    ...normalTest(estimate, Math.sqrt(variance) * scale),
    unit,
    shown: `${estimate >= 0 ? '+' : '−'}${Math.abs(estimate).toFixed(1)} ${unit === DIFFERENCE_UNITS.percentagePoints ? 'points' : unit === DIFFERENCE_UNITS.points ? 'Gini points' : 'SD'}`,
    n: before.n + after.n,
    paired: moments !== undefined,
  };
}

function shifts(before: SnapshotMeasures, after: SnapshotMeasures, paired: PairedSums | null): Shift[] {
  const out: Shift[] = [];
  const pct = (x: number): string => words.percent(x);
  for (const level of after.mix) {
    const old = before.mix.find((m) => m.attribute === level.attribute && m.level === level.level);
    if (old === undefined || before.customers === 0 || after.customers === 0) continue;
    const moments = paired?.mix.get(mixKey(level.attribute, level.level));
    const common = {
      key: `mix.${level.attribute}.${level.level}`,
      label: `share with ${level.attribute} ${level.level}`,
      before: pct(old.count / before.customers),
      after: pct(level.count / after.customers),
      unit: DIFFERENCE_UNITS.percentagePoints,
      n: before.customers + after.customers,
    };
    if (moments !== undefined) {
      const p1 = old.count / before.customers;
      const p2 = level.count / after.customers;
      const variance = overlapVariance((p1 * (1 - p1)) / before.customers, (p2 * (1 - p2)) / after.customers, before.customers, after.customers, moments);
      const estimate = (p2 - p1) * 100;
      out.push({ ...common, estimate, ...normalTest(estimate, Math.sqrt(variance) * 100), shown: words.points(p2 - p1), paired: true });
      continue;
    }
    const d = proportionDifference({ count: level.count, n: after.customers }, { count: old.count, n: before.customers });
    out.push({
      ...common,
      estimate: d.estimate * 100,
      interval: { lower: d.interval.lower * 100, upper: d.interval.upper * 100, level: d.interval.level },
      pValue: d.pValue,
      shown: words.points(d.estimate),
      paired: false,
    });
  }
  for (const [key, label] of [
    ['top10Share', 'share of revenue from the top 10%'],
    ['top20Share', 'share of revenue from the top 20%'],
  ] as const) {
    const a = before[key];
    const b = after[key];
    if (a !== null && b !== null) out.push(shiftOf(key, label, a, b, 100, DIFFERENCE_UNITS.percentagePoints, pct));
  }
  if (before.gini !== null && after.gini !== null) out.push(shiftOf('gini', 'Gini coefficient of revenue', before.gini, after.gini, 100, DIFFERENCE_UNITS.points, (x) => x.toFixed(3)));
  if (before.tenure !== null && after.tenure !== null) {
    const sd = Math.sqrt(((before.tenure.standardError ** 2) * before.tenure.n + (after.tenure.standardError ** 2) * after.tenure.n) / 2);
    if (sd > 0) out.push(shiftOf('tenure', 'mean tenure', before.tenure, after.tenure, 1 / sd, DIFFERENCE_UNITS.standardisedDifference, words.months, paired?.tenure ?? undefined));
  }
  for (const [key, b] of Object.entries(after.channels)) {
    const a = before.channels[key];
    if (a !== undefined) out.push(shiftOf(`channel.${key}`, `share of contacts ${key.replace('_', ' ')}`, a, b, 100, DIFFERENCE_UNITS.percentagePoints, pct));
  }
  return out;
}

export interface SnapshotComparison {
  findings: Finding[];
  /** One sentence: what changed, or "no material change". */
  sentence: string;
  /** How the intervals were formed, for the method. */
  assumption: string;
}

/**
 * What changed between two snapshots: mix, value concentration, tenure and
 * channels, each with its interval, screened by Benjamini–Hochberg and the
 * practical threshold of its unit.
 *
 * Successive snapshots share most customers. With `paired` (the two
 * versions' customer_facts joined customer by customer), shares of the mix
 * and mean tenure are compared as overlapping samples: their covariance over
 * the shared customers is taken off the variance of the difference, so a
 * re-import of the same data has intervals of width zero around zero, and a
 * real shift among the same customers is seen at its true precision. Value
 * concentration (Gini, top shares: rank statistics with no per-customer
 * covariance) and channel shares (per contact) stay compared as independent
 * samples, conservatively; so is everything when the earlier version's
 * store is gone.
 */
export function compareSnapshots(before: Snapshot, after: SnapshotMeasures, thresholds: PracticalThresholds, paired: PairedSums | null = null): SnapshotComparison {
  const all = shifts(before.measures, after, paired);
  const screened = screen(all, { alpha: thresholds.fdr, practicalThreshold: thresholds.byUnit });
  const passing = screened.filter((s) => s.passes).sort((a, b) => a.qValue - b.qValue);
  const since = `snapshot ${before.id} (import version ${before.importVersion}, as of ${before.asOf})`;
  const findings: Finding[] = passing.map((s) => ({
    code: `profile.change.${(s.key.split('.')[0] ?? 'measure').replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`,
    text: `Since ${since}, the ${s.label} moved from ${s.before} to ${s.after} (${s.shown}, 95% CI ${s.interval.lower.toFixed(1)} to ${s.interval.upper.toFixed(1)}; n = ${words.count(s.n)}).`,
    estimate: s.estimate,
    unit: s.unit,
    interval: s.interval,
    n: s.n,
    pValue: s.pValue,
    qValue: s.qValue,
    severity: 'medium',
  }));
  const sentence =
    passing.length === 0
      ? `No material change since ${since}: none of ${all.length} measures of mix, value concentration, tenure and channels moved beyond its practical threshold.`
      : `Since ${since}: ${words.list(passing.slice(0, 4).map((s) => `${s.label} ${s.before} → ${s.after} (${s.shown})`))}${passing.length > 4 ? `, and ${passing.length - 4} more` : ''}.`;
  const pairedCount = all.filter((s) => s.paired).length;
  const assumption =
    paired === null
      ? `Changes since a snapshot: differences of the two snapshots' estimates with intervals that treat them as independent samples (conservative: the store of import version ${before.importVersion} is no longer there to pair customers), screened by Benjamini-Hochberg and the practical thresholds.`
      : `Changes since a snapshot: ${pairedCount} measures of mix and tenure compared customer by customer over the ${words.count(paired.shared)} customers both versions hold (overlapping samples: Var1/n1 + Var2/n2 - 2 n12 Cov12 / (n1 n2)); value concentration and channel shares as independent samples (conservative); all screened by Benjamini-Hochberg and the practical thresholds.`;
  return { findings, sentence, assumption };
}
