/**
 * UTC time as epoch milliseconds, and the few text shapes the export tools
 * write. Formatting caches the date part per day: tens of millions of
 * timestamps are written, and `Date` objects are the slow part.
 */
export const SECOND_MS = 1000;
export const MINUTE_MS = 60 * SECOND_MS;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

const dayCache = new Map<number, string>();

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** `YYYY-MM-DD` of the UTC day holding `ms`. */
export function formatDate(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  let text = dayCache.get(day);
  if (text === undefined) {
    text = new Date(day * DAY_MS).toISOString().slice(0, 10);
    dayCache.set(day, text);
  }
  return text;
}

/** `YYYY-MM-DD HH:MM:SS` (seconds truncated). */
export function formatDateTime(ms: number): string {
  const inDay = ms - Math.floor(ms / DAY_MS) * DAY_MS;
  const seconds = Math.floor(inDay / SECOND_MS);
  return `${formatDate(ms)} ${pad2(Math.floor(seconds / 3600))}:${pad2(Math.floor(seconds / 60) % 60)}:${pad2(seconds % 60)}`;
}

/** `YYYY-MM-DD HH:MM` (as HubSpot and Stripe subscription exports write it). */
export function formatDateMinute(ms: number): string {
  return formatDateTime(ms).slice(0, 16);
}

/** `YYYYMMDD` (GA4 `event_date`). */
export function formatCompactDate(ms: number): string {
  const text = formatDate(ms);
  return text.slice(0, 4) + text.slice(5, 7) + text.slice(8, 10);
}

/** Epoch ms of `YYYY-MM-DD` at 00:00 UTC; NaN when not a real date. */
export function parseIsoDate(text: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (match === null) return Number.NaN;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(y, m - 1, d);
  return formatDate(ms) === text ? ms : Number.NaN;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(year: number, monthIndex: number): number {
  if (monthIndex === 1) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return MONTH_DAYS[monthIndex] ?? 31;
}

/**
 * Civil date of a day number (days since 1970-01-01), without a Date object:
 * Howard Hinnant's `civil_from_days` (http://howardhinnant.github.io/date_algorithms.html).
 */
function civilFromDays(days: number): { year: number; monthIndex: number; day: number } {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), monthIndex: month - 1, day };
}

/**
 * `ms` plus `months` calendar months, the day clamped to the month's last day
 * (Jan 31 + 1 month = Feb 28/29). This is DuckDB's `+ INTERVAL n MONTH`, so a
 * window written here is the window an analysis computes in SQL.
 */
export function addMonths(ms: number, months: number): number {
  const dayNumber = Math.floor(ms / DAY_MS);
  const { year, monthIndex: month, day: dayOfMonth } = civilFromDays(dayNumber);
  const monthIndex = month + months;
  const targetYear = year + Math.floor(monthIndex / 12);
  const targetMonth = ((monthIndex % 12) + 12) % 12;
  const day = Math.min(dayOfMonth, daysInMonth(targetYear, targetMonth));
  return Date.UTC(targetYear, targetMonth, day) + (ms - dayNumber * DAY_MS);
}

/** Whether the UTC day of `ms` is one of the last `windowDays` days of its calendar quarter. */
export function isQuarterEnd(ms: number, windowDays: number): boolean {
  const date = new Date(ms);
  const month = date.getUTCMonth();
  if (month % 3 !== 2) return false;
  return date.getUTCDate() > daysInMonth(date.getUTCFullYear(), month) - windowDays;
}

/** Calendar quarter label, e.g. `2024Q3`. */
export function quarterLabel(ms: number): string {
  const date = new Date(ms);
  return `${date.getUTCFullYear()}Q${Math.floor(date.getUTCMonth() / 3) + 1}`;
}
