import type { Finding } from '../result.js';
import { DIFFERENCE_UNITS } from '../thresholds.js';
import { scaleInterval, words } from '../wording.js';
import type { CohortPlan } from './cohorts.js';
import type { EqualTenureComparison } from './cohort-value.js';
import { isIdealKind, type MixSeries, type SeriesKind } from './profile-series.js';
import type { SeriesDrift } from './series-drift.js';

/** A drift away from the ideal is `high` when the share moved by this fraction of its first-year level or more. */
const HIGH_RELATIVE_CHANGE = 0.25;

export const pWords = (p: number): string => (p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`);

/** "the ideal profile (segment = retail AND ...)", "the misaligned segment segment public and ...". */
export function seriesWords(series: Pick<MixSeries, 'kind' | 'label'>): string {
  switch (series.kind) {
    case 'ideal':
      return `the ideal profile (${series.label})`;
    case 'rule':
      return `the rule ${series.label} (also a good fit)`;
    case 'any_rule':
      return series.label;
    case 'misaligned':
      return `the misaligned segment (${series.label})`;
    case 'any_misaligned':
      return series.label;
  }
}

/** "in the first year of signups (2023Q3-2024Q2)" and the last. */
function ends(plan: Pick<CohortPlan, 'years' | 'earlyLabel' | 'lateLabel'>): { early: string; late: string } {
  return plan.years
    ? { early: `in the first year of signups (${plan.earlyLabel})`, late: `in the last (${plan.lateLabel})` }
    : { early: `in the first half of the signups (${plan.earlyLabel})`, late: `in the second (${plan.lateLabel})` };
}

/** A number of percentage points with a true minus sign and no plus: an interval's bound. */
const pointNumber = (x: number): string => `${x < 0 ? '−' : ''}${Math.abs(x).toFixed(1)}`;

function trendWords(d: SeriesDrift, plan: Pick<CohortPlan, 'periodsPerYear' | 'unit'>): string {
  const t = d.trend;
  if (t === null) return ` There are too few cohorts (${d.byCohort.length}) to test a trend.`;
  const perYear = scaleInterval(t.interval, plan.periodsPerYear * 100);
  const dispersion = t.dispersion > 1 ? `, allowing for cohorts varying ${words.number(t.dispersion, 1)} times more than chance around the line` : '';
  return ` Across the ${t.cohorts} signup ${plan.unit}s the trend is ${words.points(t.slope * plan.periodsPerYear)} a year (${words.interval(perYear, pointNumber)}; trend test ${pWords(t.pValue)}${dispersion}).`;
}

/** The sentence for one series: its shares at the two ends, the change, and the trend. */
export function driftSentence(d: SeriesDrift, plan: CohortPlan): string {
  const e = d.earlyShare;
  const l = d.lateShare;
  const diff = d.difference;
  if (e === null || l === null || diff === null) return `The share of new customers matching ${seriesWords(d.series)} cannot be compared over time: no signups at one end of the history.`;
  const at = ends(plan);
  const change = `${words.points(diff.estimate)} (${words.interval(scaleInterval(diff.interval, 100), pointNumber)}; n = ${words.count(d.early.n)} and ${words.count(d.late.n)})`;
  const subject = `The share of new customers ${isIdealKind(d.series.kind) ? 'matching' : 'in'} ${seriesWords(d.series)}`;
  if (d.direction !== null) {
    const meaning = d.away ? ' The mix is drifting away from the ideal.' : ' The mix is moving toward the ideal.';
    return `${subject} ${d.direction} from ${words.percent(e.estimate)} ${at.early} to ${words.percent(l.estimate)} ${at.late}: ${change}.${trendWords(d, plan)}${meaning}`;
  }
  return `${subject} did not drift clearly: ${words.percent(e.estimate)} ${at.early} against ${words.percent(l.estimate)} ${at.late}, ${change}.${trendWords(d, plan)}`;
}

const CODES: Record<SeriesKind, string> = {
  ideal: 'mix.ideal_drift',
  rule: 'mix.rule_drift',
  any_rule: 'mix.any_rule_drift',
  misaligned: 'mix.misaligned_drift',
  any_misaligned: 'mix.any_misaligned_drift',
};

/** A claimed drift as a finding: the change between the ends in percentage points, the trend test's p- and q-value. */
export function driftFinding(d: SeriesDrift, plan: CohortPlan): Finding | null {
  const diff = d.difference;
  if (!d.passes || diff === null || d.trend === null) return null;
  const early = d.earlyShare?.estimate ?? 0;
  const relative = early > 0 ? Math.abs(diff.estimate) / early : Number.POSITIVE_INFINITY;
  return {
    code: CODES[d.series.kind],
    text: driftSentence(d, plan),
    estimate: diff.estimate * 100,
    unit: DIFFERENCE_UNITS.percentagePoints,
    interval: scaleInterval(diff.interval, 100),
    n: d.early.n + d.late.n,
    pValue: d.trend.pValue,
    ...(d.qValue === null ? {} : { qValue: d.qValue }),
    severity: d.away ? (relative >= HIGH_RELATIVE_CHANGE ? 'high' : 'medium') : 'info',
  };
}

/** The sentence comparing cohorts at equal tenure, or null without one. */
export function equalTenureSentence(c: EqualTenureComparison, plan: CohortPlan, currency: string): string | null {
  const e = c.early;
  const l = c.late;
  const diff = c.difference;
  if (e === null || l === null) return null;
  const money = (x: number): string => words.money(x, currency, 2);
  const at = ends(plan);
  if (diff === null) {
    return `At equal tenure, net value per new customer over its first ${c.days} days was ${money(e.mean)} ${at.early} against ${money(l.mean)} ${at.late}; every customer at each end brought the same, so there is no sampling error to test (n = ${words.count(e.n)} and ${words.count(l.n)}).`;
  }
  const change = `${words.signedMoney(diff.estimate, currency, 2)} (${words.interval(diff.interval, (x) => words.signedMoney(x, currency, 2))}; Welch ${pWords(diff.pValue)}; n = ${words.count(e.n)} and ${words.count(l.n)} customers with ${c.days} days of tenure)`;
  const subject = `At equal tenure, net value per new customer over its first ${c.days} days`;
  if (c.passes) return `${subject} ${diff.estimate < 0 ? 'fell' : 'rose'} from ${money(e.mean)} ${at.early} to ${money(l.mean)} ${at.late}: ${change}.`;
  return `${subject} did not change clearly: ${money(e.mean)} ${at.early} against ${money(l.mean)} ${at.late}, ${change}.`;
}

export function equalTenureFinding(c: EqualTenureComparison, plan: CohortPlan, currency: string): Finding | null {
  const diff = c.difference;
  const text = equalTenureSentence(c, plan, currency);
  if (!c.passes || diff === null || text === null) return null;
  return {
    code: 'mix.equal_tenure_value',
    text,
    estimate: diff.estimate,
    unit: currency,
    interval: diff.interval,
    n: (c.early?.n ?? 0) + (c.late?.n ?? 0),
    pValue: diff.pValue,
    severity: diff.estimate < 0 ? 'medium' : 'info',
  };
}
