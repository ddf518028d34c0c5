import { normalCdf, normalCritical, proportionDifference, screen } from '../../stats/index.js';
import type { Finding, Interval } from '../result.js';
import { DIFFERENCE_UNITS, type PracticalThresholds } from '../thresholds.js';
import { words } from '../wording.js';
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
}

/** A difference of two estimates (after − before) in `scale` units, normal approximation. */
function shiftOf(key: string, label: string, before: SnapshotEstimate, after: SnapshotEstimate, scale: number, unit: string, format: (x: number) => string): Shift {
  const estimate = (after.estimate - before.estimate) * scale;
  const se = Math.sqrt(before.standardError ** 2 + after.standardError ** 2) * scale;
  const z = normalCritical(0.95);
  const statistic = se > 0 ? estimate / se : 0;
  return {
    key,
    label,
    before: format(before.estimate),
    after: format(after.estimate),
    estimate,
    interval: { lower: estimate - z * se, upper: estimate + z * se, level: 0.95 },
    pValue: se > 0 ? 2 * normalCdf(-Math.abs(statistic)) : estimate === 0 ? 1 : 0,
    unit,
    shown: `${estimate >= 0 ? '+' : '−'}${Math.abs(estimate).toFixed(1)} ${unit === DIFFERENCE_UNITS.percentagePoints ? 'points' : unit === DIFFERENCE_UNITS.points ? 'Gini points' : 'SD'}`,
    n: before.n + after.n,
  };
}

function shifts(before: SnapshotMeasures, after: SnapshotMeasures): Shift[] {
  const out: Shift[] = [];
  const pct = (x: number): string => words.percent(x);
  for (const level of after.mix) {
    const old = before.mix.find((m) => m.attribute === level.attribute && m.level === level.level);
    if (old === undefined || before.customers === 0 || after.customers === 0) continue;
    const d = proportionDifference({ count: level.count, n: after.customers }, { count: old.count, n: before.customers });
    out.push({
      key: `mix.${level.attribute}.${level.level}`,
      label: `share with ${level.attribute} ${level.level}`,
      before: pct(old.count / before.customers),
      after: pct(level.count / after.customers),
      estimate: d.estimate * 100,
      interval: { lower: d.interval.lower * 100, upper: d.interval.upper * 100, level: d.interval.level },
      pValue: d.pValue,
      unit: DIFFERENCE_UNITS.percentagePoints,
      shown: words.points(d.estimate),
      n: before.customers + after.customers,
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
    if (sd > 0) out.push(shiftOf('tenure', 'mean tenure', before.tenure, after.tenure, 1 / sd, DIFFERENCE_UNITS.standardisedDifference, words.months));
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
}

/**
 * What changed between two snapshots: mix, value concentration, tenure and
 * channels, each with its interval, screened by Benjamini–Hochberg and the
 * practical threshold of its unit.
 *
 * The intervals treat the two snapshots as independent samples. Successive
 * snapshots share most customers, which makes their estimates positively
 * correlated, so these intervals are wider than paired ones: a reported
 * change is real, and a small one may be missed.
 */
export function compareSnapshots(before: Snapshot, after: SnapshotMeasures, thresholds: PracticalThresholds): SnapshotComparison {
  const all = shifts(before.measures, after);
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
  return { findings, sentence };
}
