import { DAYS_PER_MONTH, exposureMonths } from '../perfect-customer/behaviours.js';
import type { SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';

/**
 * Each customer's months observed (customer_facts.exposure_days, which runs
 * from signup, else the first purchase, to churn, else the end of as_of),
 * cut to the period when one is given: the exposure ends at churn (else
 * the end of as_of) and starts exposure_days before that, so its overlap
 * with [period start, period end) is what remains. NULL without a start
 * date; 0 when it does not overlap the period.
 */
export function exposureMonthsSql(ctx: AnalysisContext, values: SqlValues): string | null {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const stored = new Set(ctx.facts.columns.map((c) => c.name));
  if (!stored.has('exposure_days')) return null;
  const days = d.toDouble(q('exposure_days'));
  const toMonths = (daysExpr: string): string => `${daysExpr} / ${d.toDouble(String(DAYS_PER_MONTH))}`;
  if (ctx.period === null) return exposureMonths(ctx);
  const asOfEnd = Date.parse(`${ctx.asOf}T00:00:00Z`) / 1000 + 86_400;
  const day = (seconds: number): string => d.toDouble(values.bind(seconds / 86_400));
  // Days since 1970 of the exposure's end and of the period's bounds (never past as_of).
  const end =
    stored.has('churned') && stored.has('churned_at')
      ? `(CASE WHEN ${d.boolToInt(q('churned'))} = 1 AND ${q('churned_at')} IS NOT NULL THEN ${d.epochSeconds(q('churned_at'))} / ${d.toDouble('86400')} ELSE ${day(asOfEnd)} END)`
      : day(asOfEnd);
  const start = `(${end} - ${days})`;
  const periodEnd = Math.min(asOfEnd, ctx.period.end === undefined ? asOfEnd : ctx.period.end.getTime() / 1000);
  const from = ctx.period.start === undefined ? start : `(CASE WHEN ${start} > ${day(ctx.period.start.getTime() / 1000)} THEN ${start} ELSE ${day(ctx.period.start.getTime() / 1000)} END)`;
  const to = `(CASE WHEN ${end} < ${day(periodEnd)} THEN ${end} ELSE ${day(periodEnd)} END)`;
  return `(CASE WHEN ${days} IS NULL THEN NULL WHEN ${to} > ${from} THEN ${toMonths(`(${to} - ${from})`)} ELSE ${d.toDouble('0')} END)`;
}
