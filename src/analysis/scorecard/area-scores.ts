import { blockSums, type BlockSums } from '../block-bootstrap.js';
import { ratingScale, toHundred, type RatingScale } from '../key-drivers/area-performance.js';
import { ANSWERED_AT_COLUMN, areaColumn, responseRows } from '../key-drivers/response-rows.js';
import type { OutcomeInstrument, SurveyArea } from '../key-drivers/survey-layout.js';
import type { Interval } from '../result.js';
import { SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import { clusteredMean, clusteredSlope, combinedMean, type ClusteredMean, type MeasureNames } from './clustered-mean.js';
import { measureNames, measureRange, measureSums } from './measure-sums.js';

/** Days in a quarter (365.25 / 4): trends are stated per quarter. */
export const DAYS_PER_QUARTER = 91.3125;

/** A trend needs answers spread over at least this many days (two quarters). */
export const MINIMUM_TREND_DAYS = 182;

/** A score on 0-100 with its interval, from a clustered mean of ratings. */
export interface Score {
  /** 0-100. */
  score: number;
  interval: Interval;
  standardError: number;
  n: number;
  clusters: number;
  /** The clustered mean on the rating scale (its influence feeds the overall). */
  mean: ClusteredMean;
}

/** A trend in points of 0-100 per quarter, or why there is none. */
export type Trend = { perQuarter: number; interval: Interval; pValue: number; days: number } | { perQuarter: null; why: string };

export interface AreaScore {
  area: SurveyArea;
  /** Responses that rated the area. */
  n: number;
  meanRating: number | null;
  /** Null with too few responses for an interval. */
  score: Score | null;
  trend: Trend;
}

export interface AreaScores {
  scale: RatingScale;
  areas: AreaScore[];
  /** The equal-weight mean of the areas' scores, with its clustered interval; null without a scored area. */
  overall: Score | null;
  /** Response rows that rated at least one area. */
  responses: number;
}

/** A clustered mean of ratings as a 0-100 score on `scale` (a linear map, so the interval maps with it). */
export function scoreOf(mean: ClusteredMean, scale: RatingScale): Score {
  const per = 100 / (scale.high - scale.low);
  return {
    score: toHundred(mean.estimate, scale),
    interval: { lower: toHundred(mean.interval.lower, scale), upper: toHundred(mean.interval.upper, scale), level: mean.interval.level },
    standardError: mean.standardError * per,
    n: mean.n,
    clusters: mean.clusters,
    mean,
  };
}

/** The equal-weight mean of `scores` (each part counts once, however often it is rated) on 0-100. */
export function equalWeightScore(scores: readonly Score[], scale: RatingScale): Score | null {
  const combined = combinedMean(scores.map((s) => ({ mean: s.mean, weight: 1 / scores.length })));
  return combined === null ? null : scoreOf(combined, scale);
}

/** A trend from block sums, per quarter on 0-100, when the answers span two quarters or more. */
export function trendOf(blocks: readonly BlockSums[], measure: MeasureNames, spanDays: number, per: number): Trend {
  if (spanDays < MINIMUM_TREND_DAYS) return { perQuarter: null, why: `answers span ${Math.max(0, Math.round(spanDays))} days, under two quarters` };
  const slope = clusteredSlope(blocks, measure);
  if (slope === null) return { perQuarter: null, why: 'too few customers to fit a trend' };
  const f = DAYS_PER_QUARTER * per;
  return { perQuarter: slope.perDay * f, interval: { lower: slope.interval.lower * f, upper: slope.interval.upper * f, level: slope.interval.level }, pValue: slope.pValue, days: spanDays };
}

/**
 * Each area's score: the mean rating over the responses that rated it,
 * rescaled to 0-100 over the rating scale (the same number as key-drivers'
 * performance), with a clustered interval (bootstrap blocks of customers as
 * the units, so a customer's several responses count as one customer's
 * evidence), its trend per quarter, and the overall: the equal-weight mean
 * of the area scores with its own clustered interval. One GROUP BY over
 * the response rows (key-drivers' responseRows) per bootstrap block.
 */
export async function areaScores(ctx: AnalysisContext, instrument: OutcomeInstrument, areas: readonly SurveyArea[]): Promise<AreaScores> {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const rows = responseRows(ctx, { instrument }, areas, { answeredAt: true });
  const values = new SqlValues(ctx.engine, 'sc');
  const day = d.toDouble(d.dateDiff('day', values.bind(new Date(`${ctx.asOf}T00:00:00Z`)), q(ANSWERED_AT_COLUMN)));
  const items = areas.flatMap((_, k) => measureSums(ctx, q(areaColumn(k)), day, String(k)));
  items.push(`sum(CASE WHEN ${areas.map((_, k) => `${q(areaColumn(k))} IS NOT NULL`).join(' OR ')} THEN 1 ELSE 0 END) AS ${q('_any')}`);
  const blocks = await blockSums(ctx, rows.select, items, null, ...rows.values, values);
  const ranges = areas.map((_, k) => measureRange(blocks, String(k)));
  const seen = ranges.filter((r) => r !== null);
  const scale = ratingScale(Math.min(...seen.map((r) => r.lowest), 1), Math.max(...seen.map((r) => r.highest), 0));
  const per = 100 / (scale.high - scale.low);
  const scored = areas.map((area, k): AreaScore => {
    const mean = clusteredMean(blocks, measureNames(String(k)));
    const range = ranges[k] ?? null;
    return {
      area,
      n: range?.n ?? 0,
      meanRating: mean?.estimate ?? null,
      score: mean === null ? null : scoreOf(mean, scale),
      trend: range === null ? { perQuarter: null, why: 'no answers' } : trendOf(blocks, measureNames(String(k)), range.lastDay - range.firstDay, per),
    };
  });
  const withScores = scored.map((a) => a.score).filter((s): s is Score => s !== null);
  return { scale, areas: scored, overall: equalWeightScore(withScores, scale), responses: blocks.reduce((s, b) => s + (b.sums['_any'] ?? 0), 0) };
}
