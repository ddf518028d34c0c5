import type { Result } from './result.js';

/** Doubles computed on two engines (sums added in another order) may differ by this much, relatively. */
export const RELATIVE_TOLERANCE = 1e-9;

/**
 * A quantity that is zero in exact arithmetic (a difference of two equal
 * sums) comes out as zero or as a residue such as 2e-31, by the order the
 * rows were added in; no figure of a Result is meaningful that small, so
 * two numbers both within this of zero are the same.
 */
export const ZERO_RESIDUE = 1e-15;

type Exactness = 'exact' | 'close';

function sameNumber(a: number, b: number, exactness: Exactness): boolean {
  if (Object.is(a, b)) return true;
  if (exactness === 'exact') return false;
  if (Math.abs(a) <= ZERO_RESIDUE && Math.abs(b) <= ZERO_RESIDUE) return true;
  return Math.abs(a - b) <= RELATIVE_TOLERANCE * Math.max(Math.abs(a), Math.abs(b));
}

/**
 * Every difference between two values, as `path: a | b`. Numbers are exact
 * where `exactAt(path)` says so, else equal to RELATIVE_TOLERANCE; strings,
 * booleans and nulls are identical (a number formatted differently in a
 * sentence is a difference); arrays have the same length and order.
 */
export function differences(a: unknown, b: unknown, exactAt: (path: string[]) => boolean, path: string[] = []): string[] {
  const here = (): string => `${path.join('.')}: ${JSON.stringify(a)} | ${JSON.stringify(b)}`;
  if (typeof a === 'number' && typeof b === 'number') return sameNumber(a, b, exactAt(path) ? 'exact' : 'close') ? [] : [here()];
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return [`${path.join('.')}: ${a.length} items | ${b.length} items`];
    return a.flatMap((x, i) => differences(x, b[i], exactAt, [...path, String(i)]));
  }
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const x = a as Record<string, unknown>;
    const y = b as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(x), ...Object.keys(y)])];
    return keys.flatMap((k) => differences(x[k], y[k], exactAt, [...path, k]));
  }
  return a === b ? [] : [here()];
}

/**
 * Differences between two Results of one analysis on the same data, leaving
 * out when they were made. Exact: counts (`n` of findings, integer table
 * columns) and money (estimates in customers or the currency: means of money
 * summed exactly); everything else to RELATIVE_TOLERANCE. `modelled` names
 * findings whose money estimate comes out of a model fitted to double sums
 * (a regression coefficient), which can only agree to the tolerance.
 */
export function resultDifferences(a: Result, b: Result, currency: string, modelled: (code: string) => boolean = () => false): string[] {
  const { createdAt: _a, ...x } = a;
  const { createdAt: _b, ...y } = b;
  const exactAt = (path: string[]): boolean => {
    const [part, index, field, row, column] = path;
    if (part === 'findings' && field === 'n') return true;
    if (part === 'findings' && field === 'estimate') {
      const finding = a.findings[Number(index)];
      return finding !== undefined && !modelled(finding.code) && (finding.unit === 'customers' || finding.unit === currency);
    }
    if (part === 'tables' && field === 'rows' && row !== undefined && column !== undefined) {
      return a.tables[Number(index)]?.columns[Number(column)]?.type === 'integer';
    }
    return false;
  };
  return differences(x, y, exactAt);
}
