import { OUTCOME_INSTRUMENTS, surveyAreas, surveyCounts } from '../key-drivers/survey-layout.js';
import { hasRows } from '../needs.js';
import { describePeriod } from '../period.js';
import { emptyParts, notRunResult, okResult } from '../result-builder.js';
import type { Result } from '../result.js';
import type { Analysis, AnalysisContext } from '../types.js';
import { words } from '../wording.js';
import { areaScores, DAYS_PER_QUARTER, MINIMUM_TREND_DAYS } from './area-scores.js';
import { behaviourTouchpoints } from './behaviour-touchpoints.js';
import { CHARACTERISTIC_LABELS } from './characteristics.js';
import { contactTouchpoints } from './contact-touchpoints.js';
import { CONTROL_SIGMAS, FALSE_ALARM_RATE, MINIMUM_PERIOD_ANSWERS } from './control-limits.js';
import { areaImportance } from './importance.js';
import { MONTHLY_ANSWERS, satisfactionSeries, type SeriesPlan } from './satisfaction-series.js';
import { areasChart, matrixChart, seriesChart } from './scorecard-charts.js';
import { areaFindings, contactFindings, overallFinding, seriesFindings, trendFindings } from './scorecard-findings.js';
import { buildScorecard, MINIMUM_RATED, type Scorecard } from './scorecard-model.js';
import { areasTable, characteristicsTable, seriesTable, touchpointsTable } from './scorecard-tables.js';
import { OUTCOME_WORDS, score } from './scorecard-words.js';

/** Sentences on the characteristics: which are weak or strong, and which nothing measures. */
function characteristicSentences(card: Scorecard): string[] {
  const out: string[] = [];
  const label = (c: (typeof card.characteristics)[number]): string => CHARACTERISTIC_LABELS[c.characteristic];
  const by = (status: string): string[] => card.characteristics.filter((c) => c.rating?.status === status).map(label);
  const weak = by('weak');
  const strong = by('strong');
  if (weak.length > 0 || strong.length > 0) {
    out.push(`Of the characteristics of an outstanding experience, ${[weak.length > 0 ? `weak: ${words.list(weak)}` : '', strong.length > 0 ? `strong: ${words.list(strong)}` : ''].filter((x) => x !== '').join('; ')}.`);
  }
  const missing = card.characteristics.filter((c) => !c.measured).map(label);
  if (missing.length > 0) {
    out.push(`Not measured: ${words.list(missing)} (no experience area, contact reason or behaviour maps to ${missing.length === 1 ? 'it' : 'them'}; set \`characteristic:\` on an experience area in cxray.yaml).`);
  }
  return out;
}

/** A sentence per question over time: the span, the last period, and the periods outside the control limits. */
function seriesSentences(plan: SeriesPlan): string[] {
  return plan.series.map((s) => {
    const last = s.points[s.points.length - 1];
    const fmt = (x: number): string => words.number(x, 1);
    const signals = s.points.filter((p) => p.point.signal !== null);
    const flagged =
      signals.length === 0
        ? `no ${plan.unit} outside its control limits`
        : `outside the control limits: ${words.list(signals.map((p) => `${p.period} (${p.point.signal ?? ''}, ${fmt(p.point.estimate)})`))}`;
    return `${s.label} by ${plan.unit} over ${words.count(s.points.length)} ${plan.unit}${s.points.length === 1 ? '' : 's'}: ${last === undefined ? '' : `${fmt(last.point.estimate)} in ${last.period} (${words.interval(last.point.interval, fmt)}; n = ${words.count(last.point.n)}); `}${flagged}.`;
  });
}

/**
 * The experience scorecard: each experience area's score (mean rating on
 * 0-100) with a clustered interval, trend and status against the overall;
 * the characteristics of an outstanding experience they stand for; the
 * contact touchpoints and behaviours the areas list; the importance x
 * performance matrix from key-drivers; NPS, CSAT and effort over time with
 * control limits.
 */
export async function runScorecard(ctx: AnalysisContext, analysis: Pick<Analysis, 'name' | 'revision' | 'description'>): Promise<Result> {
  const counts = await surveyCounts(ctx);
  const areas = surveyAreas(ctx, counts);
  const instrument = OUTCOME_INSTRUMENTS.find((i) => counts.some((c) => c.instrument === i && c.area === null && c.n > 0)) ?? null;
  const scores = areas.length === 0 ? null : await areaScores(ctx, instrument ?? 'rating', areas);
  const contacts = await contactTouchpoints(ctx);
  const behaviours = await behaviourTouchpoints(ctx);
  const weights = areas.length >= 2 && instrument !== null ? await areaImportance(ctx) : { importance: null, why: null };
  const plan = counts.length === 0 ? { unit: 'quarter' as const, series: [] } : await satisfactionSeries(ctx);
  const margin = ctx.thresholds.scorecardMargin;
  const card = buildScorecard(ctx.config, scores, contacts, behaviours.touchpoints, weights.importance, margin);
  const when = ctx.period === null ? '' : ` ${describePeriod(ctx.period)}`;
  if (card.overall === null && contacts.length === 0 && behaviours.touchpoints.length === 0 && plan.series.length === 0) {
    return notRunResult(
      ctx,
      analysis,
      'skipped',
      `Nothing measures the experience of these customers${when}: no survey answer with a score, no contact and no behaviour an experience area lists. Map survey ratings (with their area), help-desk tickets or behaviours in cxray.yaml and run \`cxray import\`.`,
    );
  }

  const parts = emptyParts();
  const areaResults = areaFindings(card, instrument);
  if (card.overall !== null && card.scale !== null) {
    parts.summary.push(
      `The scorecard rates ${card.areas.length} experience areas in ${words.count(card.responses)} survey responses${when}: overall ${score(card.overall.score)} of 100 (${words.interval(card.overall.interval, score)}), the average of the areas' mean ratings on the ${card.scale.low}-${card.scale.high} scale rescaled to 0-100.`,
    );
  } else if (areas.length === 0 && hasRows(ctx, 'survey_responses')) {
    parts.summary.push("No survey answer rates an experience area (an answer with an area), so no area is scored: map each rating's area in cxray.yaml (the unpivot's `area`) and run `cxray import`.");
  }
  parts.summary.push(...areaResults.filter((f) => f.code === 'scorecard.weak_area').map((f) => f.text));
  if (card.overall !== null && !card.areas.some((a) => a.rating.status === 'weak') && card.areas.some((a) => a.rating.status !== null)) {
    parts.summary.push(`No area is clearly weak: none has its whole 95% interval more than ${words.number(margin, 1)} points below the overall (${score(card.overall.score)}).`);
  }
  const strong = card.areas.filter((a) => a.rating.status === 'strong' && a.score !== null);
  if (strong.length > 0) parts.summary.push(`Strong: ${words.list(strong.map((a) => `${a.area.label} (${score(a.score?.score ?? 0)})`))}.`);
  const unrated = card.areas.filter((a) => a.rating.status === null && a.rating.why !== 'nothing else to compare it with');
  if (unrated.length > 0) parts.summary.push(`Not rated: ${words.list(unrated.map((a) => `${a.area.label} (${a.rating.status === null ? a.rating.why : ''})`))}.`);
  if (areas.length >= 2 && weights.importance === null && weights.why !== null) parts.summary.push(`No importance x performance matrix: key-drivers has no weights here (${weights.why.replace(/\.$/, '')}).`);
  parts.summary.push(...characteristicSentences(card));
  const trends = trendFindings(card, ctx.thresholds);
  parts.summary.push(...trends.map((f) => f.text));
  const touch = contactFindings(card);
  parts.summary.push(...touch.filter((f) => f.code === 'scorecard.weak_touchpoint').map((f) => f.text));
  parts.summary.push(...seriesSentences(plan));

  parts.findings.push(...areaResults, ...overallFinding(card), ...trends, ...touch, ...seriesFindings(plan));
  parts.tables.push(areasTable(card), characteristicsTable(card), touchpointsTable(card), seriesTable(plan));
  if (card.overall !== null) parts.charts.push(areasChart(card));
  const matrix = matrixChart(card);
  if (matrix !== null) parts.charts.push(matrix);
  parts.charts.push(...plan.series.map((s) => seriesChart(plan, s)));
  if (behaviours.unknown.length > 0) {
    parts.warnings.push(`experience_areas lists behaviours that cxray.yaml's behaviours do not declare (or this import has no column for): ${words.list([...new Set(behaviours.unknown)])}; they are left out.`);
  }

  const guessed = card.areas.filter((a) => a.characteristic.source === 'default' && a.characteristic.characteristic !== null);
  return okResult(ctx, analysis, parts, {
    description:
      `Each experience area's score is its mean rating over the survey responses that rated it (answers of one area in one response averaged, as key-drivers does), rescaled from the rating scale to 0-100; the overall is the average of the area scores, each area counting once. ` +
      `Intervals are 95% t intervals from the linearisation variance of a ratio of totals with customers' bootstrap blocks (4,096 hash blocks of customers) as the independent units, so several responses of one customer count as one customer's evidence. ` +
      `Status: weak when the area's whole interval lies more than the margin (${words.number(margin, 1)} points, thresholds.scorecard_margin) below the overall, strong when it lies that far above, else average; rated from ${MINIMUM_RATED} responses. ` +
      `Trend: the least-squares slope of the ratings on the answer date, in points a quarter (${DAYS_PER_QUARTER} days), with a cluster-robust interval, over areas answered across at least ${MINIMUM_TREND_DAYS} days; a trend is claimed when it passes Benjamini-Hochberg at ${ctx.thresholds.fdr} across every area and contact measure and changes at least ${words.number((ctx.thresholds.byUnit['points'] ?? 2) / 4, 2)} points a quarter (the points threshold a year). ` +
      `Importance is each area's share of the explained variation in ${instrument === null ? 'the overall answer' : OUTCOME_WORDS[instrument]} from key-drivers (Johnson's relative weights); an area is important from an equal share. ` +
      `Contacts: resolution (share resolved) and satisfaction with the contact (0..1 as imported, shown on 0-100) per channel and per experience area's contact reasons, rated against all contacts the same way; contact rate per 100 customer-months of exposure${ctx.period === null ? '' : ' in the period'}. ` +
      `Over time: the overall NPS, CSAT and CES answers by ${plan.unit} (by month when the busiest question's median month holds ${MONTHLY_ANSWERS} answers, else by quarter), each with its interval (NPS: the multinomial variance of promoters minus detractors) and control limits at ${CONTROL_SIGMAS} standard errors from the centre line of the other periods (periods of ${MINIMUM_PERIOD_ANSWERS} answers or more).`,
    assumptions: [
      `Scores rest on whoever answered; customers who answer surveys may see the experience differently from those who do not.`,
      `The status compares an area with the overall, which includes it; with the margin at 0 an area no different from the rest is called weak in at most 2.5% of samples (and strong in 2.5%), and the margin makes both rarer.`,
      `Characteristics of an outstanding experience: ${
        guessed.length === 0 ? 'as cxray.yaml sets them' : `guessed from the areas' names (${guessed.map((a) => `${a.area.label}: ${CHARACTERISTIC_LABELS[a.characteristic.characteristic ?? 'solves_problem']}`).join('; ')})`
      }; contact channels count toward solving the customer's problem. Set \`characteristic:\` on an experience area in cxray.yaml to change them.`,
      `Within one ${plan.unit}, answers are taken as independent (a customer rarely answers twice in one ${plan.unit}); a ${plan.unit} no different from the others is flagged with probability ${words.percent(FALSE_ALARM_RATE, 2)}, so over ${Math.max(0, ...plan.series.map((s) => s.points.length))} ${plan.unit}s about ${words.number(FALSE_ALARM_RATE * Math.max(0, ...plan.series.map((s) => s.points.length)), 2)} false flags are expected per question.`,
      `A contact rate is shown, not rated: more contacts can mean more trouble or more engagement. Adoption of different behaviours is shown, not compared.`,
      ...(ctx.period === null ? [] : [`Only answers and contacts ${describePeriod(ctx.period)} count; behaviours count when adopted by its end.`]),
    ],
  });
}
