import { tCritical, tTwoSidedPValue, wilsonInterval, type Interval, type IntervalEstimate } from '../../stats/index.js';
import { sentimentClass } from './comment-sentiment.js';
import { addTo, emptySums, meanOf, type MeanSums } from './mean-sums.js';
import type { ReadComment } from './read-comments.js';

const DAY_SECONDS = 86_400;
const YEAR_SECONDS = 365.25 * DAY_SECONDS;
/** Comments spanning more than two years are counted by quarter, else by month. */
const MONTHS_SPAN_DAYS = 731;

export interface SentimentPeriod {
  /** `2025-03` (a month) or `2025-Q1` (a calendar quarter). */
  period: string;
  comments: number;
  compound: IntervalEstimate | null;
  positive: IntervalEstimate;
  negative: IntervalEstimate;
}

/** A straight-line trend of the compound score over time, per year. */
export interface SentimentSlope {
  perYear: number;
  interval: Interval;
  pValue: number;
  n: number;
}

export interface SentimentTrend {
  unit: 'month' | 'quarter';
  periods: SentimentPeriod[];
  slope: SentimentSlope | null;
}

function periodOf(seconds: number, unit: 'month' | 'quarter'): string {
  const date = new Date(seconds * 1000);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  return unit === 'month' ? `${year}-${String(month + 1).padStart(2, '0')}` : `${year}-Q${Math.floor(month / 3) + 1}`;
}

/**
 * Sentiment over time: per month (per calendar quarter when the comments
 * span more than two years) the mean compound and the shares positive and
 * negative with their intervals; and the least-squares slope of each
 * comment's compound on its date, per year, with its t interval (comments
 * taken as independent), which says whether sentiment is improving.
 */
export function sentimentTrend(english: readonly ReadComment[], level: number): SentimentTrend {
  if (english.length === 0) return { unit: 'month', periods: [], slope: null };
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const c of english) {
    first = Math.min(first, c.row.at);
    last = Math.max(last, c.row.at);
  }
  const unit = last - first > MONTHS_SPAN_DAYS * DAY_SECONDS ? 'quarter' : 'month';
  const byPeriod = new Map<string, { sums: MeanSums; positive: number; negative: number }>();
  for (const c of english) {
    const key = periodOf(c.row.at, unit);
    const entry = byPeriod.get(key) ?? { sums: emptySums(), positive: 0, negative: 0 };
    addTo(entry.sums, c.compound);
    const sentiment = sentimentClass(c.compound);
    if (sentiment === 'positive') entry.positive += 1;
    if (sentiment === 'negative') entry.negative += 1;
    byPeriod.set(key, entry);
  }
  const periods = [...byPeriod]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([period, e]) => ({
      period,
      comments: e.sums.n,
      compound: meanOf(e.sums, level),
      positive: wilsonInterval({ count: e.positive, n: e.sums.n }, level),
      negative: wilsonInterval({ count: e.negative, n: e.sums.n }, level),
    }));
  return { unit, periods, slope: slopeOf(english, first, level) };
}

function slopeOf(english: readonly ReadComment[], origin: number, level: number): SentimentSlope | null {
  const n = english.length;
  if (n < 3) return null;
  let tMean = 0;
  let yMean = 0;
  for (const c of english) {
    tMean += (c.row.at - origin) / YEAR_SECONDS;
    yMean += c.compound;
  }
  tMean /= n;
  yMean /= n;
  let sxx = 0;
  let sxy = 0;
  for (const c of english) {
    const t = (c.row.at - origin) / YEAR_SECONDS - tMean;
    sxx += t * t;
    sxy += t * (c.compound - yMean);
  }
  if (!(sxx > 0)) return null;
  const slope = sxy / sxx;
  let residuals = 0;
  for (const c of english) {
    const fitted = yMean + slope * ((c.row.at - origin) / YEAR_SECONDS - tMean);
    residuals += (c.compound - fitted) ** 2;
  }
  const standardError = Math.sqrt(residuals / (n - 2) / sxx);
  if (!(standardError > 0)) return null;
  const half = tCritical(level, n - 2) * standardError;
  const statistic = slope / standardError;
  return { perYear: slope, interval: { lower: slope - half, upper: slope + half, level }, pValue: tTwoSidedPValue(statistic, n - 2), n };
}
