import type { SqlDialect } from '../../engine/dialect.js';
import { fiscalQuarterStart } from '../../facts/cohort.js';

export const DAY_MS = 86_400_000;

/** The fiscal quarter holding a UTC day: its first day and the first day of the next (epoch ms, midnight UTC). */
export interface FiscalQuarter {
  startMs: number;
  nextMs: number;
}

/** The fiscal quarter holding `ms`; quarters start in fiscal_year_start_month and every third month after it. */
export function fiscalQuarterOf(ms: number, fiscalYearStartMonth: number): FiscalQuarter {
  const date = new Date(ms);
  const month = date.getUTCMonth();
  const back = (((month - (fiscalYearStartMonth - 1)) % 3) + 3) % 3;
  return { startMs: Date.UTC(date.getUTCFullYear(), month - back, 1), nextMs: Date.UTC(date.getUTCFullYear(), month - back + 3, 1) };
}

/** Whether the UTC day of `ms` is one of the last `windowDays` days of its fiscal quarter. */
export function inQuarterEndWindow(ms: number, windowDays: number, fiscalYearStartMonth: number): boolean {
  const day = Math.floor(ms / DAY_MS) * DAY_MS;
  return day >= fiscalQuarterOf(day, fiscalYearStartMonth).nextMs - windowDays * DAY_MS;
}

/** Whole days from the UTC day of `ms` to the end of its fiscal quarter: 1 on the quarter's last day. */
export function daysToQuarterEnd(ms: number, fiscalYearStartMonth: number): number {
  const day = Math.floor(ms / DAY_MS) * DAY_MS;
  return Math.round((fiscalQuarterOf(day, fiscalYearStartMonth).nextMs - day) / DAY_MS);
}

/**
 * SQL, 1 when the timestamp `expr` falls in the last `windowDays` days of its
 * fiscal quarter, else 0 (also for NULL). The dialect has no month
 * arithmetic, so instead of "the quarter's end minus N days": the day is in
 * the window exactly when N days later is already another quarter (N is
 * shorter than any quarter, and quarters start at midnight). The same rule as
 * inQuarterEndWindow, on every engine.
 */
export function quarterEndFlagSql(d: SqlDialect, expr: string, windowDays: number, fiscalYearStartMonth: number): string {
  if (!Number.isInteger(windowDays) || windowDays < 1 || windowDays > 80) throw new RangeError(`A quarter-end window of ${windowDays} days is not 1 to 80 whole days`);
  const later = fiscalQuarterStart(d, d.addDays(expr, windowDays), fiscalYearStartMonth);
  return `(CASE WHEN ${expr} IS NOT NULL AND ${later} <> ${fiscalQuarterStart(d, expr, fiscalYearStartMonth)} THEN 1 ELSE 0 END)`;
}
