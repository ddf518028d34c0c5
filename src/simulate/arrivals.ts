import { DAY_MS, MINUTE_MS, isQuarterEnd } from './calendar.js';
import type { Rng } from './random.js';

/**
 * When customers arrive: a growing business (the last month brings
 * GROWTH_LAST_TO_FIRST times the first month's customers) plus the
 * quarter-end push (the last QUARTER_END_DAYS days of each calendar quarter
 * bring QUARTER_END_INTAKE_RATIO times a normal day). Counts per day are
 * allocated exactly (cumulative rounding), so the total is N.
 */
export const GROWTH_LAST_TO_FIRST = 2.5;
export const QUARTER_END_DAYS = 10;
export const QUARTER_END_INTAKE_RATIO = 1.6;

export interface ArrivalDay {
  startMs: number;
  count: number;
  quarterEnd: boolean;
}

export function arrivalDays(startMs: number, endMs: number, customers: number): ArrivalDay[] {
  const dayCount = Math.round((endMs - startMs) / DAY_MS);
  const growth = Math.log(GROWTH_LAST_TO_FIRST);
  const weights: number[] = [];
  const days: ArrivalDay[] = [];
  let total = 0;
  for (let d = 0; d < dayCount; d += 1) {
    const dayStart = startMs + d * DAY_MS;
    const quarterEnd = isQuarterEnd(dayStart, QUARTER_END_DAYS);
    const weight = Math.exp((growth * d) / dayCount) * (quarterEnd ? QUARTER_END_INTAKE_RATIO : 1);
    weights.push(weight);
    total += weight;
    days.push({ startMs: dayStart, count: 0, quarterEnd });
  }
  let cumulative = 0;
  let allocated = 0;
  days.forEach((day, d) => {
    cumulative += weights[d] ?? 0;
    const upTo = Math.round((customers * cumulative) / total);
    day.count = upTo - allocated;
    allocated = upTo;
  });
  return days;
}

/** Signup times within one day, sorted, at whole minutes (HubSpot writes minutes). */
export function signupTimes(rng: Rng, day: ArrivalDay): number[] {
  const times: number[] = [];
  for (let i = 0; i < day.count; i += 1) times.push(day.startMs + rng.int(0, 1439) * MINUTE_MS);
  return times.sort((a, b) => a - b);
}
