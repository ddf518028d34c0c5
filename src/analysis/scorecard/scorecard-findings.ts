import { screen } from '../../stats/index.js';
import type { OutcomeInstrument } from '../key-drivers/survey-layout.js';
import type { Finding, Interval } from '../result.js';
import { DIFFERENCE_UNITS, type PracticalThresholds } from '../thresholds.js';
import { words } from '../wording.js';
import type { SeriesPlan } from './satisfaction-series.js';
import type { RatedArea, Scorecard } from './scorecard-model.js';
import { importanceRank, MEASURE_WORDS, OUTCOME_WORDS, score, scoreWords, sentenceStart, signed } from './scorecard-words.js';

/** The unit of a trend finding; its practical threshold is the points threshold spread over a year. */
export const TREND_UNIT = 'points_per_quarter';

const shifted = (interval: Interval, by: number): Interval => ({ lower: interval.lower - by, upper: interval.upper - by, level: interval.level });

/** "; it is the second most important driver of NPS (14.2% of the explained variation): fix it first." */
function importanceClause(area: RatedArea, card: Scorecard, outcome: OutcomeInstrument | null): string {
  const w = area.importance;
  if (w === null || card.importance === null || outcome === null) return '.';
  const of = `${importanceRank(w.rank)} driver of ${OUTCOME_WORDS[outcome]} (${words.percent(w.share)} of the explained variation`;
  if (area.quadrant === 'fix first') return `; it is ${of}): fix it first.`;
  if (area.quadrant === 'low priority') return `; it is ${of}, under an equal share of ${words.percent(card.importance.equalShare)}): after the areas that weigh more.`;
  if (area.quadrant === 'keep up') return `; it is ${of}): keep it up.`;
  if (area.quadrant === 'possible overkill') return `; it is ${of}, under an equal share of ${words.percent(card.importance.equalShare)}): a strength that weighs less.`;
  return '.';
}

/** One finding per area rated weak or strong: its gap to the overall in points, with the area's interval shifted by the overall. */
export function areaFindings(card: Scorecard, outcome: OutcomeInstrument | null): Finding[] {
  const overall = card.overall;
  if (overall === null) return [];
  return card.areas.flatMap((a): Finding[] => {
    const s = a.score;
    if (s === null || (a.rating.status !== 'weak' && a.rating.status !== 'strong')) return [];
    const weak = a.rating.status === 'weak';
    return [
      {
        code: weak ? 'scorecard.weak_area' : 'scorecard.strong_area',
        text: `${a.area.label} is ${a.rating.status}: ${scoreWords(s.score, s.interval)} against ${score(overall.score)} overall (n = ${words.count(a.n)} responses)${importanceClause(a, card, outcome)}`,
        estimate: s.score - overall.score,
        unit: DIFFERENCE_UNITS.points,
        interval: shifted(s.interval, overall.score),
        n: a.n,
        severity: weak ? (a.quadrant === 'fix first' ? 'high' : 'medium') : 'info',
      },
    ];
  });
}

/** The overall score as a finding. */
export function overallFinding(card: Scorecard): Finding[] {
  const o = card.overall;
  if (o === null || card.scale === null) return [];
  return [
    {
      code: 'scorecard.overall',
      text: `Overall, the experience areas score ${scoreWords(o.score, o.interval)}: the average of ${card.areas.filter((a) => a.score !== null).length} areas' mean ratings on the ${card.scale.low}-${card.scale.high} scale (n = ${words.count(card.responses)} responses).`,
      estimate: o.score,
      unit: 'score 0-100',
      interval: o.interval,
      n: card.responses,
      severity: 'info',
    },
  ];
}

/**
 * Trends that claim a change: every area's and contact measure's slope is
 * one family, screened with Benjamini-Hochberg at the FDR and a practical
 * threshold of the points threshold per year (a quarter's share of it), and
 * the interval must lie clear of zero.
 */
export function trendFindings(card: Scorecard, thresholds: PracticalThresholds): Finding[] {
  type Candidate = { subject: string; n: number; what: string; perQuarter: number; interval: Interval; pValue: number; days: number };
  const candidates: Candidate[] = [];
  for (const a of card.areas) {
    if (a.trend.perQuarter !== null) candidates.push({ subject: a.area.label, n: a.n, what: 'responses', perQuarter: a.trend.perQuarter, interval: a.trend.interval, pValue: a.trend.pValue, days: a.trend.days });
  }
  for (const t of card.contacts) {
    for (const v of t.values) {
      if (v.trend === null || v.trend.perQuarter === null) continue;
      candidates.push({ subject: `${sentenceStart(t.label)}: ${MEASURE_WORDS[v.measure].name}`, n: v.n, what: 'contacts', perQuarter: v.trend.perQuarter, interval: v.trend.interval, pValue: v.trend.pValue, days: v.trend.days });
    }
  }
  const perYear = thresholds.byUnit[DIFFERENCE_UNITS.points] ?? 2;
  const screened = screen(
    candidates.map((c) => ({ estimate: c.perQuarter, unit: TREND_UNIT, pValue: c.pValue })),
    { alpha: thresholds.fdr, practicalThreshold: { [TREND_UNIT]: perYear / 4 } },
  );
  return candidates.flatMap((c, i): Finding[] => {
    const x = screened[i];
    if (x === undefined || !x.passes || (c.interval.lower <= 0 && c.interval.upper >= 0)) return [];
    const up = c.perQuarter > 0;
    return [
      {
        code: 'scorecard.trend',
        text: `${c.subject} is ${up ? 'rising' : 'falling'}: ${signed(c.perQuarter)} points a quarter (${words.interval(c.interval, (v) => signed(v))}; n = ${words.count(c.n)} ${c.what} over ${words.count(c.days)} days).`,
        estimate: c.perQuarter,
        unit: TREND_UNIT,
        interval: c.interval,
        n: c.n,
        pValue: c.pValue,
        qValue: x.qValue,
        severity: up ? 'info' : 'medium',
      },
    ];
  });
}

/** One finding per contact measure rated weak or strong against every contact. */
export function contactFindings(card: Scorecard): Finding[] {
  return card.contacts.flatMap((t) =>
    t.values.flatMap((v): Finding[] => {
      const status = v.rating?.status;
      if ((status !== 'weak' && status !== 'strong') || v.overall === null) return [];
      return [
        {
          code: status === 'weak' ? 'scorecard.weak_touchpoint' : 'scorecard.strong_touchpoint',
          text: `${sentenceStart(t.label)} are ${status} on ${MEASURE_WORDS[v.measure].name}: ${scoreWords(v.value, v.interval)} against ${score(v.overall)} over all contacts (n = ${words.count(v.n)} contacts).`,
          estimate: v.value - v.overall,
          unit: DIFFERENCE_UNITS.points,
          interval: shifted(v.interval, v.overall),
          n: v.n,
          severity: status === 'weak' ? 'medium' : 'info',
        },
      ];
    }),
  );
}

/** Per question over time: its latest period, and every period outside its control limits. */
export function seriesFindings(plan: SeriesPlan): Finding[] {
  const unit = plan.unit;
  return plan.series.flatMap((s) => {
    const fmt = (x: number): string => words.number(x, 1);
    const out: Finding[] = [];
    const last = s.points[s.points.length - 1];
    if (last !== undefined) {
      out.push({
        code: `scorecard.latest_${s.instrument}`,
        text: `${s.label} in the last ${unit}, ${last.period}: ${fmt(last.point.estimate)}${s.scale === null ? '' : ' of 100'} (${words.interval(last.point.interval, fmt)}; n = ${words.count(last.point.n)} answers).`,
        estimate: last.point.estimate,
        unit: s.scale === null ? 'nps_points' : 'score 0-100',
        interval: last.point.interval,
        n: last.point.n,
        severity: 'info',
      });
    }
    for (const p of s.points) {
      const c = p.point;
      if (c.signal === null || c.centre === null || c.lowerLimit === null || c.upperLimit === null) continue;
      out.push({
        code: 'scorecard.control_signal',
        text:
          `${s.label} in ${p.period} is ${c.signal} its control limits: ${fmt(c.estimate)} (${words.interval(c.interval, fmt)}; n = ${words.count(c.n)} answers) against ${fmt(c.centre)} in the other ${unit}s ` +
          `(limits ${fmt(c.lowerLimit)} to ${fmt(c.upperLimit)}; a ${unit} like the others falls outside them 0.27% of the time).`,
        estimate: c.estimate - c.centre,
        unit: DIFFERENCE_UNITS.points,
        interval: shifted(c.interval, c.centre),
        n: c.n,
        severity: c.signal === 'below' ? 'medium' : 'info',
      });
    }
    return out;
  });
}
