import type { Row, RowValue } from '../engine/types.js';
import type { FactsColumn } from './types.js';

export interface DifferenceOptions {
  /**
   * Compare timestamps floored to the second: for rows from an engine without
   * sub-second timestamps (`Capabilities.subsecondTimestamps` false), which
   * stored its inputs floored. Default false (exact).
   */
  timestampsToTheSecond?: boolean;
  /** Relative tolerance for doubles (sums may add in another order). Default 1e-9. */
  relativeTolerance?: number;
}

/** Exact decimal text without insignificant zeros: '12.3400' -> '12.34', '0.0000' -> '0'. */
export function canonicalDecimal(text: string): string {
  const [whole = '', fraction = ''] = text.split('.');
  const trimmed = fraction.replace(/0+$/, '');
  const out = trimmed === '' ? whole : `${whole}.${trimmed}`;
  return out === '-0' ? '0' : out;
}

const shown = (value: RowValue | undefined): string =>
  value === undefined ? 'undefined' : JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));

/** Whether two values of one facts column are equal, by the column's documented type. */
export function sameFact(column: Pick<FactsColumn, 'type'>, expected: RowValue | undefined, actual: RowValue | undefined, options: DifferenceOptions = {}): boolean {
  if (expected === null || actual === null || expected === undefined || actual === undefined) return expected === actual;
  switch (column.type) {
    case 'double': {
      if (typeof expected !== 'number' || typeof actual !== 'number') return false;
      return Math.abs(expected - actual) <= (options.relativeTolerance ?? 1e-9) * Math.max(Math.abs(expected), Math.abs(actual));
    }
    case 'money':
      return typeof expected === 'string' && typeof actual === 'string' && canonicalDecimal(expected) === canonicalDecimal(actual);
    case 'timestamp':
      if (options.timestampsToTheSecond === true && typeof expected === 'string' && typeof actual === 'string') {
        return expected.slice(0, 19) === actual.slice(0, 19);
      }
      return expected === actual;
    default:
      return typeof expected === typeof actual && shown(expected) === shown(actual);
  }
}

/**
 * Every difference between two customer_facts results (rows in the same
 * order, e.g. by customer_id), one line each: ids, counts, money (as
 * decimals), dates and flags exactly; doubles within a relative tolerance.
 * Used to check one engine's facts against another's.
 */
export function factsDifferences(columns: readonly FactsColumn[], expected: readonly Row[], actual: readonly Row[], options: DifferenceOptions = {}): string[] {
  const out: string[] = [];
  if (actual.length !== expected.length) out.push(`${actual.length} rows, expected ${expected.length}`);
  const names = columns.map((c) => c.name).join(',');
  expected.forEach((want, i) => {
    const got = actual[i] ?? {};
    const id = String(want['customer_id']);
    if (Object.keys(got).join(',') !== names) out.push(`${id}: columns ${Object.keys(got).join(',')}`);
    for (const column of columns) {
      const [a, b] = [want[column.name], got[column.name]];
      if (!sameFact(column, a, b, options)) out.push(`${id}.${column.name}: ${shown(b)}, expected ${shown(a)}`);
    }
  });
  return out;
}
