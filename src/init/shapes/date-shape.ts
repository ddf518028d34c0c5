import type { DateGuess } from '../types.js';

const ISO = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)?(?:\s?(?:Z|UTC|[+-]\d{2}:?\d{2}))?$/i;
const YMD_SLASH = /^\d{4}\/\d{1,2}\/\d{1,2}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$/;
const DAY_MONTH = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})(?:,?[ T]\d{1,2}:\d{2}(?::\d{2})?(?:\s?[AaPp]\.?[Mm]\.?)?)?$/;
const YYYYMMDD = /^(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])$/;
const DIGITS = /^\d+$/;
const EXCEL = /^\d{5}(?:\.\d+)?$/;
const TEXTUAL: readonly { re: RegExp; format: string }[] = [
  { re: /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{2} \d{4}$/, format: '%a %b %d %Y' },
  { re: /^(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{1,2}, \d{4}$/, format: '%b %d, %Y' },
  { re: /^\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}$/, format: '%d %b %Y' },
];

/** Header words that make a run of digits a time rather than an id or an amount. */
export const TIME_HEADER = /time|date|(^|[ _])at$|created|updated|timestamp|millis|epoch|(^|_)ts$|opened|closed|submitted|recorded/i;

// Epoch values between 2000-01-01 and 2100-01-01, per unit.
const EPOCH_RANGES = [
  { digits: 10, format: 'epoch_s', lo: 946_684_800, hi: 4_102_444_800, label: 'seconds' },
  { digits: 13, format: 'epoch_ms', lo: 946_684_800e3, hi: 4_102_444_800e3, label: 'milliseconds' },
  { digits: 16, format: 'epoch_us', lo: 946_684_800e6, hi: 4_102_444_800e6, label: 'microseconds' },
] as const;

/**
 * The date format of a column from its values (all non-blank sampled values
 * must agree), decided by shape: ISO, slashed day/month with a component
 * above 12 telling the order, YYYYMMDD, epoch digits by length, Excel serials.
 * Digits alone are only read as times when the header says so.
 */
export function guessDateFormat(values: readonly string[], header: string): DateGuess | undefined {
  if (values.length === 0) return undefined;
  // Exports carry the odd broken value; up to 2% of the sample may misfit (the importer quarantines those rows).
  const allowed = Math.floor(values.length * MISFIT_SHARE);
  const timeHeader = TIME_HEADER.test(header);
  const guess = (fits: readonly string[]): DateGuess | undefined => decide(fits, header, timeHeader);
  for (const family of FAMILIES) {
    const fits = values.filter((v) => family.test(v));
    if (fits.length === 0 || values.length - fits.length > allowed) continue;
    const found = guess(fits);
    if (found === undefined) continue;
    const misfits = values.filter((v) => !family.test(v));
    if (misfits.length === 0) return found;
    return { ...found, note: `${found.note}; ${misfits.length} sampled value(s) like "${misfits[0] ?? ''}" are not dates and will be quarantined` };
  }
  return undefined;
}

const MISFIT_SHARE = 0.02;
const FAMILIES: readonly RegExp[] = [ISO, YMD_SLASH, DAY_MONTH, YYYYMMDD, DIGITS, EXCEL, ...TEXTUAL.map((t) => t.re)];

/** The format of values that all share one shape family. */
function decide(values: readonly string[], header: string, timeHeader: boolean): DateGuess | undefined {
  const example = values[0] ?? '';
  const all = (re: RegExp): boolean => values.every((v) => re.test(v));

  if (all(ISO)) {
    const offset = values.some((v) => /(?:Z|UTC|[+-]\d{2}:?\d{2})$/i.test(v) && /\d[T ]\d/.test(v));
    const zone = offset ? 'the offset written in each value' : / \(utc\)$/i.test(header) ? 'UTC (the header says so)' : 'the workspace timezone (no offset written)';
    return { format: 'iso', example, note: `dates like ${example}: ISO year-month-day, read in ${zone}` };
  }
  if (all(YMD_SLASH)) return { format: 'ymd', example, note: `dates like ${example}: year/month/day` };
  if (all(DAY_MONTH)) {
    let firstOver12 = false;
    let secondOver12 = false;
    for (const v of values) {
      const m = DAY_MONTH.exec(v);
      if (m === null) continue;
      if (Number(m[1]) > 12) firstOver12 = true;
      if (Number(m[2]) > 12) secondOver12 = true;
    }
    if (firstOver12 && secondOver12) return undefined;
    if (firstOver12) return { format: 'dmy', example, note: `dates like ${example}: day first (a first part above 12 was seen)` };
    if (secondOver12) return { format: 'mdy', example, note: `dates like ${example}: month first (a middle part above 12 was seen)` };
    return { format: 'mdy', example, note: `dates like ${example}: no part above 12 in the sample, so month-first is ASSUMED; use dmy if your exports write the day first` };
  }
  if (all(YYYYMMDD) && (timeHeader || values.length >= 3)) return { format: 'yyyymmdd', example, note: `dates like ${example}: YYYYMMDD` };
  if (timeHeader && all(DIGITS)) {
    const length = example.length;
    const range = EPOCH_RANGES.find((r) => r.digits === length);
    if (range !== undefined && values.every((v) => v.length === length && Number(v) >= range.lo && Number(v) <= range.hi)) {
      return { format: range.format, example, note: `${length}-digit values like ${example}: ${range.label} since 1970-01-01 UTC` };
    }
  }
  if (timeHeader && all(EXCEL) && values.every((v) => Number(v) > 20_000 && Number(v) < 80_000)) {
    return { format: 'excel', example, note: `values like ${example}: Excel serial day numbers (the file went through Excel)` };
  }
  for (const t of TEXTUAL) if (all(t.re)) return { format: t.format, example, note: `dates like ${example}: written out, read with ${t.format}` };
  return undefined;
}
