import type { Finding } from './api-types.js';
import { columnHeader, formatCell, formatEstimate, formatMoneyAtStake, formatNumber, formatWithUnit } from '../../src/report/format-value.js';

/**
 * Numbers as the written report shows them (src/report/format-value.ts,
 * shared, not copied): money in the workspace currency, shares as
 * percentages, points signed, ratios with ×, each with its interval.
 */
export { columnHeader, formatCell, formatEstimate, formatMoneyAtStake, formatNumber };

/** A count as the contract carries it (a number, or digits beyond 2^53), in words. */
export function countText(n: number | string): string {
  const value = typeof n === 'number' ? n : Number(n);
  return value.toLocaleString('en-US');
}

/** A finding's estimate with its unit, and its interval: ["$47.66", "95% CI $46.42 to $48.90"]. */
export function estimateParts(finding: Finding): { value: string; interval: string } {
  const text = formatEstimate(finding.estimate, finding.interval, finding.unit);
  const at = text.indexOf(' (');
  return at < 0 ? { value: text, interval: '' } : { value: text.slice(0, at), interval: text.slice(at + 2, -1) };
}

/** A finding's numbers in one line: estimate (interval); n; money at stake. */
export function findingDetail(finding: Finding): string {
  const parts = [formatEstimate(finding.estimate, finding.interval, finding.unit), `n = ${countText(finding.n)}`];
  if (finding.moneyAtStake !== undefined) parts.push(`${formatMoneyAtStake(finding.moneyAtStake)} at stake`);
  return parts.join('; ');
}

/** A plain value with its unit, for the API's own numbers (customer scores, what-if). */
export function valueWithUnit(value: number | null, unit: string | null): string {
  return value === null ? '—' : formatWithUnit(value, unit);
}

/** The workspace currency as a Result names it (a three-letter unit), or null. */
export function currencyOf(...units: (string | null | undefined)[]): string | null {
  return units.find((u): u is string => typeof u === 'string' && /^[A-Z]{3}$/.test(u)) ?? null;
}
