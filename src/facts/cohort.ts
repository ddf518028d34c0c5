import type { SqlDialect } from '../engine/dialect.js';

/**
 * First day of the (fiscal) quarter holding `expr`, a timestamp expression.
 *
 * Fiscal quarters start in month F, F+3, F+6, F+9. The dialect offers
 * truncation and day arithmetic but no month arithmetic, so: find the month's
 * place in its calendar quarter (0, 1, 2) by stepping back one month at a time
 * (month start minus one day, truncated to the month), then step back
 * (place - (F - 1)) mod 3 months.
 */
export function fiscalQuarterStart(d: SqlDialect, expr: string, fiscalYearStartMonth: number): string {
  if (!Number.isInteger(fiscalYearStartMonth) || fiscalYearStartMonth < 1 || fiscalYearStartMonth > 12) {
    throw new RangeError(`fiscal_year_start_month ${fiscalYearStartMonth} is not a month number`);
  }
  const shift = (fiscalYearStartMonth - 1) % 3;
  if (shift === 0) return d.dateTrunc('quarter', expr);
  const month = d.dateTrunc('month', expr);
  const back = (months: number): string => {
    let out = month;
    for (let i = 0; i < months; i += 1) out = d.dateTrunc('month', d.addDays(out, -1));
    return out;
  };
  const quarter = d.dateTrunc('quarter', expr);
  const fiscalBack = (place: number): string => back((place - shift + 3) % 3);
  return `CASE WHEN ${month} = ${quarter} THEN ${fiscalBack(0)} WHEN ${back(1)} = ${quarter} THEN ${fiscalBack(1)} ELSE ${fiscalBack(2)} END`;
}
