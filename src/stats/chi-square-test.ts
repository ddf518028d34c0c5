import { chiSquareSf } from './distributions/chi-square.js';
import { assertCount, assertInput } from './invalid-input.js';

export interface ChiSquareTest {
  statistic: number;
  df: number;
  pValue: number;
  /** Expected counts under independence, R_i·C_j/N. */
  expected: number[][];
  /** Cramér's V = √(χ²/(N·(min(r, c) − 1))): the effect size, 0..1. */
  cramersV: number;
  n: number;
  /** Data-quality notes to show with the result (e.g. small expected counts). */
  warnings: string[];
}

/**
 * Pearson's χ² test of independence for an r×c table of counts, without
 * continuity correction (as scipy.stats.chi2_contingency(correction=False)):
 * χ² = Σ (O − E)²/E on (r − 1)(c − 1) df. Warns when more than 20% of the
 * expected counts are below 5 (Cochran 1954), where the χ² approximation is poor.
 */
export function chiSquareTest(table: readonly (readonly number[])[]): ChiSquareTest {
  const rows = table.length;
  const columns = table[0]?.length ?? 0;
  assertInput(rows >= 2 && columns >= 2, `A χ² test needs at least a 2×2 table; got ${rows}×${columns}.`);
  assertInput(table.every((row) => row.length === columns), 'Every row of the table must have the same number of columns.');
  table.forEach((row) => row.forEach((value) => assertCount(value, 'cell count')));
  const rowTotals = table.map((row) => row.reduce((s, v) => s + v, 0));
  const columnTotals = Array.from({ length: columns }, (_, j) => table.reduce((s, row) => s + (row[j] ?? 0), 0));
  const n = rowTotals.reduce((s, v) => s + v, 0);
  assertInput(
    rowTotals.every((t) => t > 0) && columnTotals.every((t) => t > 0),
    'Every row and column of the table needs at least one count; drop empty categories first.',
  );
  let statistic = 0;
  let small = 0;
  const expected = rowTotals.map((rowTotal, i) =>
    columnTotals.map((columnTotal, j) => {
      const e = (rowTotal * columnTotal) / n;
      statistic += ((table[i]?.[j] ?? 0) - e) ** 2 / e;
      if (e < 5) small += 1;
      return e;
    }),
  );
  const df = (rows - 1) * (columns - 1);
  const warnings: string[] = [];
  if (small > 0.2 * rows * columns) {
    warnings.push(`${small} of ${rows * columns} expected counts are below 5; the χ² p-value is approximate. Pool small categories.`);
  }
  return {
    statistic,
    df,
    pValue: chiSquareSf(statistic, df),
    expected,
    cramersV: Math.sqrt(statistic / (n * (Math.min(rows, columns) - 1))),
    n,
    warnings,
  };
}
