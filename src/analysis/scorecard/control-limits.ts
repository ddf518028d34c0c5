import { npsInterval, tCritical, type NpsCounts } from '../../stats/index.js';
import type { Interval } from '../result.js';

/** Standard errors a period may stand from the centre line of the others before it is flagged. */
export const CONTROL_SIGMAS = 3;

/**
 * Chance that a period no different from the others falls outside the
 * limits: P(|Z| > 3) = 0.27% (Shewhart's 3-sigma rule), per period.
 */
export const FALSE_ALARM_RATE = 0.0027;

/** A period's answers are compared with the others only from this many. */
export const MINIMUM_PERIOD_ANSWERS = 30;

/** One period of a survey measure: its estimate with interval, and its place against the other periods. */
export interface ControlPoint {
  estimate: number;
  interval: Interval;
  n: number;
  /** The centre line: the same measure over every other period pooled; null with no other period to compare with. */
  centre: number | null;
  lowerLimit: number | null;
  upperLimit: number | null;
  signal: 'above' | 'below' | null;
}

/** Sums of one period's answers to a scored question (CSAT, CES): count, Σx and Σx². */
export interface ScoreSums {
  n: number;
  sum: number;
  squares: number;
}

/** A bound shown on a bounded scale stays on it (a t interval or a 3-sigma limit of a small period can cross 0 or 100; the signal is decided before). */
const within = (value: number, low: number, high: number): number => Math.min(high, Math.max(low, value));

function limits(estimate: number, centre: number, sigma: number): Pick<ControlPoint, 'centre' | 'lowerLimit' | 'upperLimit' | 'signal'> {
  const lowerLimit = centre - CONTROL_SIGMAS * sigma;
  const upperLimit = centre + CONTROL_SIGMAS * sigma;
  return { centre, lowerLimit, upperLimit, signal: estimate > upperLimit ? 'above' : estimate < lowerLimit ? 'below' : null };
}

const noLimits = { centre: null, lowerLimit: null, upperLimit: null, signal: null } as const;

/**
 * NPS per period with its interval (the multinomial variance of promoters
 * minus detractors: 100²·[p + d − (p − d)²]/n, npsInterval) and control
 * limits in the manner of a p-chart: the centre line is the NPS of every
 * other period pooled, and the period is flagged when it lies more than
 * 3 standard errors of the difference from it, the variance taken from the
 * others' shares as if the period were like them:
 * σ² = 100²·[p̄ + d̄ − (p̄ − d̄)²]·(1/n_i + 1/n_others). Leaving the period out
 * keeps a shifted period from pulling the line toward itself; counting the
 * centre's own variance keeps the false-alarm rate at 0.27% per period.
 */
export function npsControlPoints(periods: readonly NpsCounts[], level = 0.95): (ControlPoint | null)[] {
  const size = (c: NpsCounts): number => c.promoters + c.passives + c.detractors;
  const total = periods.reduce((s, c) => ({ promoters: s.promoters + c.promoters, passives: s.passives + c.passives, detractors: s.detractors + c.detractors }), { promoters: 0, passives: 0, detractors: 0 });
  return periods.map((counts) => {
    const n = size(counts);
    if (n === 0) return null;
    const own = npsInterval(counts, level);
    const point = { estimate: own.estimate, interval: { ...own.interval, lower: within(own.interval.lower, -100, 100), upper: within(own.interval.upper, -100, 100) }, n };
    const others = { promoters: total.promoters - counts.promoters, passives: total.passives - counts.passives, detractors: total.detractors - counts.detractors };
    const m = size(others);
    if (m === 0 || n < MINIMUM_PERIOD_ANSWERS) return { ...point, ...noLimits };
    const p = others.promoters / m;
    const d = others.detractors / m;
    const sigma = 100 * Math.sqrt(Math.max(0, p + d - (p - d) ** 2) * (1 / n + 1 / m));
    const raw = limits(own.estimate, 100 * (p - d), sigma);
    return { ...point, ...raw, lowerLimit: within(raw.lowerLimit ?? -100, -100, 100), upperLimit: within(raw.upperLimit ?? 100, -100, 100) };
  });
}

/**
 * The mean score per period with its t interval, and control limits as
 * for NPS: the centre is the mean of every other period's answers pooled,
 * σ² = s²_others·(1/n_i + 1/n_others). `transform` maps a mean to what is
 * shown (0-100); it must be linear increasing, so limits map with it.
 * Intervals and limits shown are kept on 0-100 (NPS: −100 to 100).
 */
export function meanControlPoints(periods: readonly ScoreSums[], transform: (x: number) => number, level = 0.95): (ControlPoint | null)[] {
  const total = periods.reduce((s, p) => ({ n: s.n + p.n, sum: s.sum + p.sum, squares: s.squares + p.squares }), { n: 0, sum: 0, squares: 0 });
  const variance = (s: ScoreSums): number => (s.n > 1 ? Math.max(0, (s.squares - (s.sum * s.sum) / s.n) / (s.n - 1)) : 0);
  return periods.map((p) => {
    if (p.n === 0) return null;
    const mean = p.sum / p.n;
    // One answer has no spread to show: its interval is the point (and a cell that small is suppressed anyway).
    const half = p.n > 1 ? tCritical(level, p.n - 1) * Math.sqrt(variance(p) / p.n) : 0;
    const point = { estimate: transform(mean), interval: { lower: within(transform(mean - half), 0, 100), upper: within(transform(mean + half), 0, 100), level }, n: p.n };
    const others = { n: total.n - p.n, sum: total.sum - p.sum, squares: total.squares - p.squares };
    if (others.n < 2 || p.n < MINIMUM_PERIOD_ANSWERS) return { ...point, ...noLimits };
    const centre = others.sum / others.n;
    const sigma = Math.sqrt(variance(others) * (1 / p.n + 1 / others.n));
    const raw = limits(mean, centre, sigma);
    return { ...point, centre: transform(centre), lowerLimit: within(transform(raw.lowerLimit ?? centre), 0, 100), upperLimit: within(transform(raw.upperLimit ?? centre), 0, 100), signal: raw.signal };
  });
}
