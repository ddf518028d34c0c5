import { CollinearPredictorsError } from '../../stats/index.js';
import { fitPoissonRegression, type PoissonCoefficient, type PoissonRow } from '../../stats/poisson-regression.js';
import type { SalesDay } from './daily-sales.js';
import { DAY_MS, inQuarterEndWindow } from './fiscal-calendar.js';
import type { QuarterEndSettings } from './settings.js';

export type SalesMeasure = 'customers' | 'revenue';

/** Sales per day in the quarter-end windows against the other days, and the modelled ratio. */
export interface IntakeComparison {
  measure: SalesMeasure;
  windowDays: number;
  otherDays: number;
  windowTotal: number;
  otherTotal: number;
  /** Crude means per day. */
  windowPerDay: number;
  otherPerDay: number;
  /** exp(β) of the window flag, allowing for growth, weekday and day of month; with its interval and test. */
  ratio: PoissonCoefficient;
  /** φ of the quasi-Poisson fit (at least 1 for counts). */
  dispersion: number;
  dfResidual: number;
}

/** Whole windows needed before a ratio is estimated, and days outside them. */
const MIN_WINDOW_DAYS = 1;
const MIN_OTHER_DAYS = 28;
const YEAR_MS = 365.25 * DAY_MS;

/**
 * The ratio of sales per day in the quarter-end windows to sales on the
 * other days, from a quasi-Poisson regression of each day's sales on:
 * - the window flag (the ratio, exp β);
 * - a quadratic time trend (log scale, years from the middle of the
 *   history), so that a growing business's late days do not pass for a push:
 *   the windows sit at the end of their quarters, later than the average
 *   day of the quarter;
 * - the weekday (a window of 10 days holds some weekdays twice);
 * - the day of the month, as strata: the window is compared with the same
 *   days of the quarter's other months, so month-end paydays or billing runs
 *   do not pass for a push either. This matters most for revenue, where each
 *   customer renews on the same day of every month and so a day-of-month
 *   pattern persists over the whole history.
 * The dispersion (Pearson χ² over its degrees of freedom) widens the
 * interval when days vary more than Poisson; for counts it is never taken
 * under 1. Null when there are too few days of either kind or no sales.
 */
export function intakeComparison(days: readonly SalesDay[], measure: SalesMeasure, settings: Pick<QuarterEndSettings, 'windowDays' | 'fiscalYearStartMonth'>): IntakeComparison | null {
  if (days.length === 0) return null;
  const flagged = days.map((d) => ({ day: d, window: inQuarterEndWindow(d.dayMs, settings.windowDays, settings.fiscalYearStartMonth), y: measure === 'customers' ? d.customers : d.revenue }));
  const inWindow = flagged.filter((f) => f.window);
  const others = flagged.filter((f) => !f.window);
  const windowTotal = inWindow.reduce((s, f) => s + f.y, 0);
  const otherTotal = others.reduce((s, f) => s + f.y, 0);
  if (inWindow.length < MIN_WINDOW_DAYS || others.length < MIN_OTHER_DAYS || windowTotal <= 0 || otherTotal <= 0) return null;
  const first = days[0]?.dayMs ?? 0;
  const last = days[days.length - 1]?.dayMs ?? 0;
  const middle = (first + last) / 2;
  const weekdays = [...new Set(days.map((d) => new Date(d.dayMs).getUTCDay()))].sort((a, b) => a - b);
  const weekdayColumns = weekdays.slice(1);
  const names = ['window', 'trend', 'trend_squared', ...weekdayColumns.map((w) => `weekday_${w}`)];
  const rows: PoissonRow[] = flagged.map((f) => {
    const t = (f.day.dayMs - middle) / YEAR_MS;
    const weekday = new Date(f.day.dayMs).getUTCDay();
    return { stratum: new Date(f.day.dayMs).getUTCDate() - 1, x: [f.window ? 1 : 0, t, t * t, ...weekdayColumns.map((w) => (w === weekday ? 1 : 0))], y: f.y, exposure: 1 };
  });
  const fit = fitDroppingTerms(rows, names, measure === 'customers' ? 'quasi-at-least-1' : 'quasi');
  const ratio = fit?.coefficients.find((c) => c.name === 'window');
  if (fit === null || ratio === undefined) return null;
  return {
    measure,
    windowDays: inWindow.length,
    otherDays: others.length,
    windowTotal,
    otherTotal,
    windowPerDay: windowTotal / inWindow.length,
    otherPerDay: otherTotal / others.length,
    ratio,
    dispersion: fit.dispersion,
    dfResidual: fit.dfResidual,
  };
}

/**
 * Fits, leaving out adjustment terms the days cannot separate (a short
 * history: the squared trend follows the trend; a weekday never seen apart
 * from a day of the month). The window flag itself is never dropped.
 */
function fitDroppingTerms(rows: PoissonRow[], names: string[], dispersion: 'quasi' | 'quasi-at-least-1'): ReturnType<typeof fitPoissonRegression> | null {
  let kept = names.map((_, i) => i);
  for (;;) {
    try {
      return fitPoissonRegression(
        rows.map((r) => ({ ...r, x: kept.map((i) => r.x[i] ?? 0) })),
        { names: kept.map((i) => names[i] ?? ''), strata: 31, dispersion },
      );
    } catch (error) {
      if (!(error instanceof CollinearPredictorsError)) throw error;
      const bad = new Set(error.collinear.map((c) => c.column));
      if (bad.has('window') || bad.size === 0) return null;
      const next = kept.filter((i) => !bad.has(names[i] ?? ''));
      if (next.length === kept.length) return null;
      kept = next;
    }
  }
}
