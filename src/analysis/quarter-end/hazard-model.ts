import { CollinearPredictorsError } from '../../stats/index.js';
import { fitPoissonRegression, type PoissonCoefficient, type PoissonRow } from '../../stats/poisson-regression.js';
import type { HazardCovariate } from './hazard-covariates.js';
import type { PersonTime } from './person-time.js';
import { DAYS_PER_MONTH } from './settings.js';

/** Consecutive months of tenure sharing one baseline hazard. */
export interface TenureBand {
  firstMonth: number;
  lastMonth: number;
  events: number;
}

/** A band closes once it holds this many churn events, so no baseline hazard is estimated from nothing. */
export const MIN_BAND_EVENTS = 5;

/** Per group (acquired in a window, the others): customers, churn events and months at risk. */
export interface GroupTotals {
  customers: number;
  churned: number;
  personMonths: number;
}

export interface HazardModel {
  /** The window flag's hazard ratio, adjusted for the covariates. */
  adjusted: PoissonCoefficient;
  /** The same with no covariate (one baseline per band only). */
  unadjusted: PoissonCoefficient;
  /** The covariates in the adjusted fit (some may be left out as collinear: see notes). */
  covariates: HazardCovariate[];
  bands: TenureBand[];
  window: GroupTotals;
  others: GroupTotals;
  notes: string[];
  warnings: string[];
}

/**
 * Months of tenure grouped into bands of at least MIN_BAND_EVENTS churn
 * events each (over all cells), from month 0 on; a last band with fewer
 * joins the one before. Monthly bands where churn is common, wider ones in
 * the thin tail: the piecewise-constant baseline follows the data.
 */
export function tenureBands(pt: PersonTime, minEvents = MIN_BAND_EVENTS): TenureBand[] {
  const bands: TenureBand[] = [];
  let start = 0;
  let events = 0;
  for (let month = 0; month <= pt.lastMonth; month += 1) {
    events += pt.cells.reduce((s, c) => s + (c.churned[month] ?? 0), 0);
    if (events >= minEvents) {
      bands.push({ firstMonth: start, lastMonth: month, events });
      start = month + 1;
      events = 0;
    }
  }
  if (start <= pt.lastMonth) {
    const last = bands.pop();
    bands.push(last === undefined ? { firstMonth: start, lastMonth: pt.lastMonth, events } : { firstMonth: last.firstMonth, lastMonth: pt.lastMonth, events: last.events + events });
  }
  return bands;
}

function totals(pt: PersonTime, window: number): GroupTotals {
  const cells = pt.cells.filter((c) => c.window === window);
  return {
    customers: cells.reduce((s, c) => s + (c.atRisk[0] ?? 0), 0),
    churned: cells.reduce((s, c) => s + c.churned.reduce((a, b) => a + b, 0), 0),
    personMonths: cells.reduce((s, c) => s + c.days.slice(0, pt.lastMonth + 1).reduce((a, b) => a + b, 0), 0) / DAYS_PER_MONTH,
  };
}

/** Poisson rows: one per cell and band, events in the band over months at risk in it. */
function bandRows(pt: PersonTime, bands: readonly TenureBand[], covariates: readonly HazardCovariate[]): PoissonRow[] {
  const rows: PoissonRow[] = [];
  for (const cell of pt.cells) {
    const dummies = covariates.flatMap((c, i) => c.levels.slice(1).map((_, level) => (cell.levels[i] === level + 1 ? 1 : 0)));
    bands.forEach((band, stratum) => {
      let y = 0;
      let days = 0;
      for (let m = band.firstMonth; m <= band.lastMonth; m += 1) {
        y += cell.churned[m] ?? 0;
        days += cell.days[m] ?? 0;
      }
      if (days > 0) rows.push({ stratum, x: [cell.window, ...dummies], y, exposure: days / DAYS_PER_MONTH });
    });
  }
  return rows;
}

function fitWindow(pt: PersonTime, bands: readonly TenureBand[], covariates: readonly HazardCovariate[], level: number): { coefficient: PoissonCoefficient; warnings: string[] } {
  const names = ['window', ...covariates.flatMap((c) => c.levels.slice(1).map((l) => `${c.name}=${l}`))];
  const fit = fitPoissonRegression(bandRows(pt, bands, covariates), { names, strata: bands.length, level });
  const coefficient = fit.coefficients[0];
  if (coefficient === undefined) throw new Error('the hazard model lost its window term');
  return { coefficient, warnings: fit.warnings };
}

/**
 * The hazard ratio of customers acquired in a quarter-end window against the
 * others: a piecewise-exponential model (a constant baseline hazard per
 * tenure band), fitted as a Poisson regression of churn events on the
 * window flag and the covariates with log(months at risk) as offset, on the
 * person-time table. With bands as fine as the event times this is Cox's
 * model with Breslow's ties (see fitPoissonRegression); monthly bands differ
 * from it only by the baseline's variation within a month. Wald interval of
 * the log hazard ratio. Null when either group has no churn (the ratio is
 * then 0 or unbounded).
 */
export function hazardModel(pt: PersonTime, covariates: readonly HazardCovariate[], level = 0.95): HazardModel | null {
  const window = totals(pt, 1);
  const others = totals(pt, 0);
  if (window.churned === 0 || others.churned === 0) return null;
  const bands = tenureBands(pt);
  const unadjusted = fitWindow(pt, bands, [], level);
  const notes: string[] = [];
  let kept = [...covariates];
  for (;;) {
    try {
      const adjusted = fitWindow(pt, bands, kept, level);
      return { adjusted: adjusted.coefficient, unadjusted: unadjusted.coefficient, covariates: kept, bands, window, others, notes, warnings: [...new Set([...unadjusted.warnings, ...adjusted.warnings])] };
    } catch (error) {
      if (!(error instanceof CollinearPredictorsError)) throw error;
      const bad = new Set(error.collinear.map((c) => c.column.split('=')[0]));
      if (bad.has('window')) throw error;
      const next = kept.filter((c) => !bad.has(c.name));
      if (next.length === kept.length) throw error;
      notes.push(`${kept.filter((c) => bad.has(c.name)).map((c) => c.label).join(', ')} left out: the other covariates already account for it among these customers.`);
      kept = next;
    }
  }
}
