import type { Period } from '../period.js';
import { CHANGE_WINDOW_DEFAULTS, type ChangeDefinition } from './change.js';

const DAY_MS = 86_400_000;

/** A span of whole UTC days, [start, end): empty when end ≤ start. */
export interface Span {
  start: Date;
  end: Date;
}

/**
 * A change's windows: the before window split at the placebo date (half-way
 * through it, for the pre-trend check) into two halves, and the after window.
 * `periods` are the three spans [first half, second half, after], cut to
 * the analysed period (`--from`/`--to`), the data and as_of.
 */
export interface ChangeWindows {
  date: string;
  beforeStart: string;
  placebo: string;
  /** The last day of the after window (inclusive), after the cuts. */
  afterLast: string;
  beforeMonths: number;
  afterMonths: number;
  periods: [Span, Span, Span];
  /** Why a window is shorter than asked (as_of, the period), in words; empty when it is not. */
  cuts: string[];
}

const day = (d: Date): string => d.toISOString().slice(0, 10);

/** `date` plus `months` calendar months, the day of the month kept (or the month's last day when it has fewer). */
export function addMonths(date: string, months: number): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  return new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth(), Math.min(d, last)));
}

function cut(span: Span, upper: Date): Span {
  return { start: span.start, end: upper.getTime() < span.end.getTime() ? upper : span.end };
}

export function isEmpty(span: Span): boolean {
  return span.end.getTime() <= span.start.getTime();
}

/**
 * The windows of `change` as of `asOf` (YYYY-MM-DD), within `period` when
 * one is given. The before window starts no earlier than `dataStart` (the
 * first customer's first day: nothing is measured before it), so its
 * halves, and the placebo date between them, fall where there are data.
 */
export function changeWindows(change: ChangeDefinition, asOf: string, period: Period | null, dataStart: Date | null = null): ChangeWindows {
  const beforeMonths = change.before_months ?? CHANGE_WINDOW_DEFAULTS.beforeMonths;
  const afterMonths = change.after_months ?? CHANGE_WINDOW_DEFAULTS.afterMonths;
  const date = new Date(`${change.date}T00:00:00Z`);
  const asked = addMonths(change.date, -beforeMonths);
  const firstDay = dataStart === null ? null : new Date(Math.floor(dataStart.getTime() / DAY_MS) * DAY_MS);
  const cuts: string[] = [];
  let beforeStart = asked;
  if (firstDay !== null && firstDay.getTime() > beforeStart.getTime()) beforeStart = firstDay;
  if (period?.start !== undefined && period.start.getTime() > beforeStart.getTime()) beforeStart = period.start;
  if (beforeStart.getTime() > asked.getTime() && beforeStart.getTime() < date.getTime()) {
    cuts.push(beforeStart === period?.start ? `the before window starts with the period analysed (${day(beforeStart)})` : `the before window starts with the first customer (${day(beforeStart)})`);
  }
  const placebo = new Date(beforeStart.getTime() + Math.floor((date.getTime() - beforeStart.getTime()) / DAY_MS / 2) * DAY_MS);
  const afterAsked = addMonths(change.date, afterMonths);
  const asOfEnd = new Date(Date.parse(`${asOf}T00:00:00Z`) + DAY_MS);
  const upper = period?.end !== undefined && period.end.getTime() < asOfEnd.getTime() ? period.end : asOfEnd;
  const periods: [Span, Span, Span] = [
    cut({ start: beforeStart, end: placebo }, upper),
    cut({ start: placebo, end: date }, upper),
    cut({ start: date, end: afterAsked }, upper),
  ];
  const after = periods[2];
  if (!isEmpty(after) && after.end.getTime() < afterAsked.getTime()) {
    cuts.push(after.end.getTime() === asOfEnd.getTime() ? `the after window ends at as_of (${asOf})` : `the after window ends with the period analysed (${day(new Date(after.end.getTime() - DAY_MS))})`);
  }
  return {
    date: change.date,
    beforeStart: day(beforeStart),
    placebo: day(placebo),
    afterLast: day(new Date((isEmpty(after) ? afterAsked.getTime() : after.end.getTime()) - DAY_MS)),
    beforeMonths,
    afterMonths,
    periods,
    cuts,
  };
}
