import { assertInput } from '../invalid-input.js';
import type { FrequencyRow, PurchaseHistory } from './types.js';

/** Throws (a caller bug, not a user error) unless the history is a valid (x, tx, T). */
export function assertHistory({ x, tx, T }: PurchaseHistory): void {
  assertInput(Number.isInteger(x) && x >= 0, `Repeat purchases x must be a non-negative integer; got ${x}.`);
  assertInput(Number.isFinite(T) && T > 0, `Customer age T must be positive; got ${T}.`);
  assertInput(Number.isFinite(tx) && tx >= 0 && tx <= T, `Recency tx must lie in [0, T]; got tx = ${tx}, T = ${T}.`);
  assertInput(x > 0 || tx === 0, `A customer with no repeat purchase has recency 0; got tx = ${tx}.`);
}

export function assertFrequencyRows(rows: readonly FrequencyRow[]): void {
  assertInput(rows.length > 0, 'A lifetime model needs at least one customer row.');
  for (const row of rows) {
    assertHistory(row);
    assertInput(Number.isFinite(row.count) && row.count > 0, `Row counts must be positive; got ${row.count}.`);
  }
}

/** Merges identical (x, tx, T) histories into one row with their multiplicity, as SQL's GROUP BY would. */
export function compressFrequencyRows(histories: readonly (PurchaseHistory & { count?: number })[]): FrequencyRow[] {
  const merged = new Map<string, FrequencyRow>();
  for (const { x, tx, T, count = 1 } of histories) {
    const key = `${x}|${tx}|${T}`;
    const row = merged.get(key);
    if (row === undefined) merged.set(key, { x, tx, T, count });
    else row.count += count;
  }
  return [...merged.values()];
}

export function totalCount(rows: readonly { count: number }[]): number {
  return rows.reduce((sum, row) => sum + row.count, 0);
}
