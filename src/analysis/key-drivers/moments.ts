import type { Moments } from './types.js';

/**
 * Sample covariances (n − 1 denominator) from the sums of one SQL pass:
 * cov_ij = (Σv_i·v_j − Σv_i·Σv_j / n) / (n − 1). With integer scores the
 * sums are exact in doubles on every engine, so the matrix is too.
 */
export function covarianceFromMoments(m: Moments): number[][] {
  const size = m.sums.length;
  return Array.from({ length: size }, (_, i) =>
    Array.from({ length: size }, (_, j) => {
      const product = m.products[i]?.[j] ?? Number.NaN;
      return (product - ((m.sums[i] ?? 0) * (m.sums[j] ?? 0)) / m.n) / (m.n - 1);
    }),
  );
}

/**
 * Pearson correlations from the sums (the matrix Johnson's relative weights
 * start from). A variable that does not vary has NaN correlations; the
 * diagonal is exactly 1 otherwise.
 */
export function correlationFromMoments(m: Moments): number[][] {
  const cov = covarianceFromMoments(m);
  const sd = cov.map((row, i) => Math.sqrt(Math.max(0, row[i] ?? 0)));
  return cov.map((row, i) =>
    row.map((value, j) => {
      if (i === j) return (sd[i] ?? 0) > 0 ? 1 : Number.NaN;
      const scale = (sd[i] ?? 0) * (sd[j] ?? 0);
      // Rounding can push |r| a hair past 1 for identical columns.
      return scale > 0 ? Math.max(-1, Math.min(1, value / scale)) : Number.NaN;
    }),
  );
}

/** Means of the variables. */
export function meansFromMoments(m: Moments): number[] {
  return m.sums.map((s) => s / m.n);
}

/** The moments of a subset of the variables, in the order of `indices`. */
export function subsetMoments(m: Moments, indices: readonly number[]): Moments {
  return {
    n: m.n,
    sums: indices.map((i) => m.sums[i] ?? Number.NaN),
    products: indices.map((i) => indices.map((j) => m.products[i]?.[j] ?? Number.NaN)),
  };
}

/** A square sub-matrix. */
export function subMatrix(matrix: readonly (readonly number[])[], indices: readonly number[]): number[][] {
  return indices.map((i) => indices.map((j) => matrix[i]?.[j] ?? Number.NaN));
}
