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
 * The SELECT items that summarise `expr` under the name prefix `_key`: count,
 * sum and sum of squares and three exact quartiles. Portable: no stddev
 * function needed. Squares are DOUBLE, so those of large integers cannot
 * overflow; money (`exactSum`) is summed in its exact type, so its mean is
 * the same on every engine whatever order the rows are added in (shards).
 */
export function numericSummaryItems(d: SqlDialect, expr: string, key: string, options: { exactSum?: boolean } = {}): string[] {
  const x = d.toDouble(expr);
  const name = (part: string): string => d.quoteIdent(`_${key}_${part}`);
  return [
    `count(${expr}) AS ${name('n')}`,
    `sum(${options.exactSum === true ? expr : x}) AS ${name('sum')}`,
    `sum(${x} * ${x}) AS ${name('ss')}`,
    `${d.quantileExact(expr, 0.25)} AS ${name('q1')}`,
    `${d.quantileExact(expr, 0.5)} AS ${name('q2')}`,
    `${d.quantileExact(expr, 0.75)} AS ${name('q3')}`,
  ];
}

export function readNumericSummary(row: Row, key: string): NumericSummary {
  const get = (part: string): unknown => row[`_${key}_${part}`];
  const n = numberOf(get('n')) ?? 0;
  const summary = meanSummaryFromSums(n, numberOf(get('sum')) ?? 0, numberOf(get('ss')) ?? 0);
  return {
    n,
    mean: n >= 2 ? meanInterval(summary) : null,
    sd: summary.sd,
    q1: numberOf(get('q1')),
    median: numberOf(get('q2')),
    q3: numberOf(get('q3')),
  };
}
