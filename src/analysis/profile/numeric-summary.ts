import type { SqlDialect } from '../../engine/dialect.js';
import type { Row } from '../../engine/types.js';
import { meanInterval, type IntervalEstimate } from '../../stats/index.js';
import { numberOf } from '../sql-values.js';
import { meanSummaryFromSums } from '../standardised-difference.js';

/** A numeric column summarised for people: mean with its t interval, and quartiles (type 1, exact). */
export interface NumericSummary {
  n: number;
  mean: IntervalEstimate | null;
  sd: number;
  q1: number | null;
  median: number | null;
  q3: number | null;
}

/**
 * The SELECT items that summarise `expr` under the name prefix `key`: count,
 * sum and sum of squares (as DOUBLE, so squares of large integers cannot
 * overflow) and three exact quartiles. Portable: no stddev function needed.
 */
export function numericSummaryItems(d: SqlDialect, expr: string, key: string): string[] {
  const x = d.toDouble(expr);
  return [
    `count(${expr}) AS ${d.quoteIdent(`${key}_n`)}`,
    `sum(${x}) AS ${d.quoteIdent(`${key}_sum`)}`,
    `sum(${x} * ${x}) AS ${d.quoteIdent(`${key}_ss`)}`,
    `${d.quantileExact(expr, 0.25)} AS ${d.quoteIdent(`${key}_q1`)}`,
    `${d.quantileExact(expr, 0.5)} AS ${d.quoteIdent(`${key}_q2`)}`,
    `${d.quantileExact(expr, 0.75)} AS ${d.quoteIdent(`${key}_q3`)}`,
  ];
}

export function readNumericSummary(row: Row, key: string): NumericSummary {
  const n = numberOf(row[`${key}_n`]) ?? 0;
  const summary = meanSummaryFromSums(n, numberOf(row[`${key}_sum`]) ?? 0, numberOf(row[`${key}_ss`]) ?? 0);
  return {
    n,
    mean: n >= 2 ? meanInterval(summary) : null,
    sd: summary.sd,
    q1: numberOf(row[`${key}_q1`]),
    median: numberOf(row[`${key}_q2`]),
    q3: numberOf(row[`${key}_q3`]),
  };
}
