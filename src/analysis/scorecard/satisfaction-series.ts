import { ratingScale, toHundred, type RatingScale } from '../key-drivers/area-performance.js';
import { perCustomerJoin } from '../per-customer-join.js';
import { periodConditions } from '../period-sql.js';
import { cohortLabel } from '../profile/cohort-mix.js';
import { scopeQuery, scopeSelect } from '../scope-query.js';
import { numberOf, SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import { meanControlPoints, npsControlPoints, type ControlPoint } from './control-limits.js';

/** The overall questions followed over time. */
export const SERIES_INSTRUMENTS = ['nps', 'csat', 'ces'] as const;
export type SeriesInstrument = (typeof SERIES_INSTRUMENTS)[number];

export const SERIES_LABELS: Record<SeriesInstrument, string> = { nps: 'NPS', csat: 'CSAT', ces: 'effort (CES)' };

/** Answers are followed by month when the median month of the busiest question holds at least this many (an NPS standard error near 8 points), else by quarter. */
export const MONTHLY_ANSWERS = 100;

export type PeriodUnit = 'month' | 'quarter';

export interface SeriesPoint {
  /** "2025-03" or "2025Q1" (fiscal quarters as cohorts are labelled). */
  period: string;
  /** The period's first day, YYYY-MM-DD. */
  start: string;
  /** Customers who answered in the period; answers beyond one per customer are `answers − customers`. */
  customers: number;
  /** The mean answer on its own scale (CSAT, CES); null for NPS. */
  meanAnswer: number | null;
  point: ControlPoint;
}

export interface SatisfactionSeries {
  instrument: SeriesInstrument;
  label: string;
  /** CSAT and CES: the scale their 0-100 is read on; null for NPS (−100..100). */
  scale: RatingScale | null;
  points: SeriesPoint[];
}

export interface SeriesPlan {
  unit: PeriodUnit;
  series: SatisfactionSeries[];
}

interface MonthRow {
  instrument: SeriesInstrument;
  month: string;
  answers: number;
  customers: number;
  sum: number;
  squares: number;
  promoters: number;
  detractors: number;
  lowest: number;
  highest: number;
}

const monthIndex = (day: string): number => Number(day.slice(0, 4)) * 12 + Number(day.slice(5, 7)) - 1;
const dayOf = (index: number): string => `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}-01`;

/** The first month (index) of the fiscal quarter holding month `index`. */
export function fiscalQuarterOf(index: number, fiscalYearStartMonth: number): number {
  const month = (index % 12) + 1;
  return index - ((((month - fiscalYearStartMonth) % 3) + 3) % 3);
}

/** Month when the median month from the first to the last (empty ones included) of the busiest question holds MONTHLY_ANSWERS answers, else quarter. */
export function choosePeriodUnit(monthlyAnswers: ReadonlyMap<number, number>): PeriodUnit {
  const months = [...monthlyAnswers.keys()];
  if (months.length === 0) return 'quarter';
  const first = Math.min(...months);
  const last = Math.max(...months);
  const counts = Array.from({ length: last - first + 1 }, (_, i) => monthlyAnswers.get(first + i) ?? 0).sort((a, b) => a - b);
  const middle = counts.length % 2 === 1 ? (counts[(counts.length - 1) / 2] ?? 0) : ((counts[counts.length / 2 - 1] ?? 0) + (counts[counts.length / 2] ?? 0)) / 2;
  return middle >= MONTHLY_ANSWERS ? 'month' : 'quarter';
}

async function monthRows(ctx: AnalysisContext): Promise<MonthRow[]> {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const values = new SqlValues(ctx.engine, 'ss');
  const score = q('score');
  const month = d.dateTrunc('month', q('at'));
  const join = perCustomerJoin(
    ctx,
    'survey_responses',
    [
      `${q('instrument')} AS ${q('_ins')}`,
      `${month} AS ${q('_mo')}`,
      `count(*) AS ${q('_k')}`,
      `sum(${score}) AS ${q('_sx')}`,
      `sum(${score} * ${score}) AS ${q('_sxx')}`,
      `sum(CASE WHEN ${score} >= 9 THEN 1 ELSE 0 END) AS ${q('_pp')}`,
      `sum(CASE WHEN ${score} < 7 THEN 1 ELSE 0 END) AS ${q('_dd')}`,
      `min(${score}) AS ${q('_lo')}`,
      `max(${score}) AS ${q('_hi')}`,
    ],
    [`${score} IS NOT NULL`, `${q('area')} IS NULL`, `${q('instrument')} IN (${SERIES_INSTRUMENTS.map((i) => values.bind(i)).join(', ')})`, ...periodConditions(ctx, values, q('at'))],
    '_ss',
    [q('instrument'), month],
  );
  const rows = await scopeQuery(
    ctx,
    scopeSelect(ctx, {
      items: [
        `${q('_ins')} AS ${q('_i')}`,
        `${q('_mo')} AS ${q('_p')}`,
        `sum(${q('_k')}) AS ${q('_n')}`,
        `count(*) AS ${q('_c')}`,
        `sum(${q('_sx')}) AS ${q('_s')}`,
        `sum(${q('_sxx')}) AS ${q('_q')}`,
        `sum(${q('_pp')}) AS ${q('_pr')}`,
        `sum(${q('_dd')}) AS ${q('_de')}`,
        `min(${q('_lo')}) AS ${q('_min')}`,
        `max(${q('_hi')}) AS ${q('_max')}`,
      ],
      join,
      where: [`${q('_k')} IS NOT NULL`],
      groupBy: [q('_ins'), q('_mo')],
    }),
    values,
  );
  const num = (v: unknown): number => numberOf(v) ?? 0;
  return rows.map((r) => ({
    instrument: String(r['_i']) as SeriesInstrument,
    month: String(r['_p']).slice(0, 10),
    answers: num(r['_n']),
    customers: num(r['_c']),
    sum: num(r['_s']),
    squares: num(r['_q']),
    promoters: num(r['_pr']),
    detractors: num(r['_de']),
    lowest: num(r['_min']),
    highest: num(r['_max']),
  }));
}

/**
 * NPS, CSAT and effort (CES) over time: each overall question (answers
 * without an area) per month, or per fiscal quarter when the median month
 * of the busiest question holds fewer than MONTHLY_ANSWERS answers; each
 * period with its interval and control limits from the other periods
 * (control-limits.ts). CSAT and CES are shown on 0-100 of their scale
 * (read from the answers, as area ratings are). One GROUP BY per customer,
 * question and month, summed per question and month.
 */
export async function satisfactionSeries(ctx: AnalysisContext): Promise<SeriesPlan> {
  const rows = await monthRows(ctx);
  const busiest = SERIES_INSTRUMENTS.map((i) => rows.filter((r) => r.instrument === i)).sort((a, b) => b.reduce((s, r) => s + r.answers, 0) - a.reduce((s, r) => s + r.answers, 0))[0] ?? [];
  const unit = choosePeriodUnit(new Map(busiest.map((r) => [monthIndex(r.month), r.answers])));
  const fiscal = ctx.config.fiscal_year_start_month;
  const periodOf = (month: string): number => (unit === 'month' ? monthIndex(month) : fiscalQuarterOf(monthIndex(month), fiscal));
  const labelOf = (index: number): string => (unit === 'month' ? dayOf(index).slice(0, 7) : cohortLabel(dayOf(index), fiscal));
  const series: SatisfactionSeries[] = [];
  for (const instrument of SERIES_INSTRUMENTS) {
    const mine = rows.filter((r) => r.instrument === instrument);
    if (mine.length === 0) continue;
    const periods = new Map<number, MonthRow>();
    for (const r of mine) {
      const p = periodOf(r.month);
      const had = periods.get(p);
      periods.set(
        p,
        had === undefined
          ? { ...r }
          : {
              ...had,
              answers: had.answers + r.answers,
              customers: had.customers + r.customers,
              sum: had.sum + r.sum,
              squares: had.squares + r.squares,
              promoters: had.promoters + r.promoters,
              detractors: had.detractors + r.detractors,
              lowest: Math.min(had.lowest, r.lowest),
              highest: Math.max(had.highest, r.highest),
            },
      );
    }
    const ordered = [...periods.entries()].sort((a, b) => a[0] - b[0]);
    const scale = instrument === 'nps' ? null : ratingScale(Math.min(...mine.map((r) => r.lowest)), Math.max(...mine.map((r) => r.highest)));
    const points =
      scale === null
        ? npsControlPoints(ordered.map(([, r]) => ({ promoters: r.promoters, passives: r.answers - r.promoters - r.detractors, detractors: r.detractors })))
        : meanControlPoints(ordered.map(([, r]) => ({ n: r.answers, sum: r.sum, squares: r.squares })), (x) => toHundred(x, scale));
    series.push({
      instrument,
      label: SERIES_LABELS[instrument],
      scale,
      points: ordered.flatMap(([index, r], i) => {
        const point = points[i];
        if (point === null || point === undefined) return [];
        return [{ period: labelOf(index), start: dayOf(index), customers: r.customers, meanAnswer: scale === null ? null : r.sum / r.answers, point }];
      }),
    });
  }
  return { unit, series };
}
