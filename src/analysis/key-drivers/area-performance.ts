import { meanInterval } from '../../stats/index.js';
import type { Interval } from '../result.js';
import { scopeQuery } from '../scope-query.js';
import { numberOf } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import { meanSummaryFromSums } from '../standardised-difference.js';
import type { ModelRows } from './moments-sql.js';
import type { SurveyArea } from './survey-layout.js';

/** Usual rating scales, smallest first: a survey's scale is the first that holds every answer. */
const SCALE_TOPS = [1, 5, 7, 10, 100] as const;

export interface RatingScale {
  low: number;
  high: number;
}

/** How each area is rated over the responses in scope. */
export interface AreaPerformance {
  area: SurveyArea;
  /** Responses that rated the area. */
  n: number;
  /** Of the responses with the overall answer, the share that rated the area too. */
  coverage: number;
  meanRating: number;
  /** The mean rescaled to 0-100 over the scale, with its t interval; null under 2 responses. */
  performance: number | null;
  performanceInterval: Interval | null;
}

export interface PerformanceSummary {
  /** Responses with the overall answer. */
  outcomeResponses: number;
  scale: RatingScale;
  areas: AreaPerformance[];
}

/**
 * The scale the ratings are on, read from the answers: 0 or 1 at the bottom
 * (1 unless an answer is below 1), and at the top the smallest usual scale
 * (1, 5, 7, 10, 100) holding the largest answer. cxray.yaml's `scale` option
 * maps scores to 0..1 at import, which reads as 0-1 here.
 */
export function ratingScale(lowest: number, highest: number): RatingScale {
  const low = lowest >= 1 ? 1 : 0;
  const high = SCALE_TOPS.find((t) => t >= highest && t > low) ?? highest;
  return { low, high };
}

/** A rating on the scale as 0-100. */
export function toHundred(rating: number, scale: RatingScale): number {
  return ((rating - scale.low) / (scale.high - scale.low)) * 100;
}

/**
 * Per area over the response rows: how many rated it, how many of the
 * responses with the overall answer did, and its mean rating rescaled to
 * 0-100 with a t interval (responses taken as independent).
 */
export async function areaPerformance(ctx: AnalysisContext, rows: ModelRows, areas: readonly SurveyArea[]): Promise<PerformanceSummary> {
  const q = ctx.engine.dialect.quoteIdent;
  const [outcome, ...areaColumns] = rows.columns.map((c) => q(c));
  const items = [`count(${outcome ?? ''}) AS ${q('_ny')}`];
  areaColumns.forEach((c, k) => {
    items.push(
      `count(${c}) AS ${q(`_n${k}`)}`,
      `sum(${c}) AS ${q(`_s${k}`)}`,
      `sum(${c} * ${c}) AS ${q(`_q${k}`)}`,
      `min(${c}) AS ${q(`_lo${k}`)}`,
      `max(${c}) AS ${q(`_hi${k}`)}`,
      `sum(CASE WHEN ${outcome ?? ''} IS NOT NULL AND ${c} IS NOT NULL THEN 1 ELSE 0 END) AS ${q(`_b${k}`)}`,
    );
  });
  const [row] = await scopeQuery(ctx, `SELECT ${items.join(', ')} FROM (${rows.select}) AS ${q('_t')}`, ...rows.values);
  const get = (key: string): number | null => numberOf(row?.[key]);
  const outcomeResponses = get('_ny') ?? 0;
  const answered = areas.map((_, k) => (get(`_n${k}`) ?? 0) > 0);
  const lows = areas.map((_, k) => get(`_lo${k}`)).filter((x, k): x is number => x !== null && answered[k] === true);
  const highs = areas.map((_, k) => get(`_hi${k}`)).filter((x, k): x is number => x !== null && answered[k] === true);
  const scale = ratingScale(Math.min(...lows, 1), Math.max(...highs, 0));
  return {
    outcomeResponses,
    scale,
    areas: areas.map((area, k) => {
      const n = get(`_n${k}`) ?? 0;
      const summary = meanSummaryFromSums(n, get(`_s${k}`) ?? 0, get(`_q${k}`) ?? 0);
      const interval = n >= 2 ? meanInterval(summary).interval : null;
      return {
        area,
        n,
        coverage: outcomeResponses > 0 ? (get(`_b${k}`) ?? 0) / outcomeResponses : 0,
        meanRating: summary.mean,
        performance: n >= 2 ? toHundred(summary.mean, scale) : null,
        performanceInterval: interval === null ? null : { lower: toHundred(interval.lower, scale), upper: toHundred(interval.upper, scale), level: interval.level },
      };
    }),
  };
}
