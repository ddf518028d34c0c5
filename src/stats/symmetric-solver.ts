import { type CollinearColumn, CollinearPredictorsError } from './collinear-predictors-error.js';
import { assertInput } from './invalid-input.js';

/** Options for factoring a cross-product matrix. */
export interface SymmetricSolverOptions {
  /**
   * A column is collinear when, after scaling X'X to unit diagonal, its
   * Cholesky pivot (1 − R² of that column on the earlier ones) falls below
   * this. 1e-10 means R² > 1 − 1e-10, a variance inflation factor above 10¹⁰.
   */
  tolerance?: number;
}

/**
 * Solves with a symmetric positive-definite cross-product matrix (X'X, X'WX)
 * by Cholesky, after scaling it to unit diagonal (Jacobi equilibration) so that
 * columns measured in cents and in years factor equally well. A pivot that
 * vanishes names the collinear column and the columns it depends on, instead of
 * returning meaningless coefficients (Golub & Van Loan, Matrix Computations,
 * 4th ed., §4.2).
 */
export class SymmetricSolver {
  private constructor(
    private readonly scale: number[],
    private readonly lower: number[][],
  ) {}

  static factor(matrix: readonly (readonly number[])[], names: readonly string[], options: SymmetricSolverOptions = {}): SymmetricSolver {
    const tolerance = options.tolerance ?? 1e-10;
    const p = names.length;
    assertInput(matrix.length === p && matrix.every((row) => row.length === p), `Expected a ${p}×${p} matrix for columns ${names.join(', ')}.`);
    assertInput(matrix.every((row) => row.every(Number.isFinite)), 'The cross-product matrix has a non-finite entry.');
    const at = (i: number, j: number): number => 0.5 * ((matrix[i]?.[j] ?? 0) + (matrix[j]?.[i] ?? 0));
    const scale = Array.from({ length: p }, (_, j) => (at(j, j) > 0 ? 1 / Math.sqrt(at(j, j)) : 0));
    const lower: number[][] = Array.from({ length: p }, () => new Array<number>(p).fill(0));
    const collinear: CollinearColumn[] = [];
    const kept: number[] = [];
    for (let j = 0; j < p; j += 1) {
      if (at(j, j) <= 0) {
        collinear.push({ column: names[j] ?? `#${j}`, dependsOn: [] });
        continue;
      }
      const row = lower[j] ?? [];
      // Row j of L over the kept columns: the forward solve of L_K·c = Ã_{K,j}.
      for (const k of kept) {
        let sum = at(j, k) * (scale[j] ?? 0) * (scale[k] ?? 0);
        const rowK = lower[k] ?? [];
        for (const m of kept) {
          if (m >= k) break;
          sum -= (row[m] ?? 0) * (rowK[m] ?? 0);
        }
        row[k] = sum / (rowK[k] ?? 1);
      }
      let pivot = 1;
      for (const k of kept) pivot -= (row[k] ?? 0) ** 2;
      if (pivot < tolerance) {
        collinear.push({ column: names[j] ?? `#${j}`, dependsOn: dependencies(lower, kept, row, names) });
        row.fill(0);
        continue;
      }
      row[j] = Math.sqrt(pivot);
      kept.push(j);
    }
    if (collinear.length > 0) throw new CollinearPredictorsError(collinear);
    return new SymmetricSolver(scale, lower);
  }

  /** x with A·x = b. */
  solve(b: readonly number[]): number[] {
    const p = this.scale.length;
    const y = new Array<number>(p).fill(0);
    for (let i = 0; i < p; i += 1) {
      let sum = (b[i] ?? 0) * (this.scale[i] ?? 0);
      const row = this.lower[i] ?? [];
      for (let k = 0; k < i; k += 1) sum -= (row[k] ?? 0) * (y[k] ?? 0);
      y[i] = sum / (row[i] ?? 1);
    }
    const x = new Array<number>(p).fill(0);
    for (let i = p - 1; i >= 0; i -= 1) {
      let sum = y[i] ?? 0;
      for (let k = i + 1; k < p; k += 1) sum -= (this.lower[k]?.[i] ?? 0) * (x[k] ?? 0);
      x[i] = sum / (this.lower[i]?.[i] ?? 1);
    }
    return x.map((value, i) => value * (this.scale[i] ?? 0));
  }

  /** A⁻¹ (the coefficient covariance up to σ² for OLS; exactly it for IRLS at convergence). */
  inverse(): number[][] {
    const p = this.scale.length;
    const columns = Array.from({ length: p }, (_, j) => this.solve(Array.from({ length: p }, (_, i) => (i === j ? 1 : 0))));
    // Average the two triangles so the result is exactly symmetric.
    return Array.from({ length: p }, (_, i) => Array.from({ length: p }, (_, j) => 0.5 * ((columns[j]?.[i] ?? 0) + (columns[i]?.[j] ?? 0))));
  }
}

// Back-solve L_K'·β = c for the coefficients of the collinear column on the kept
// columns (unit-diagonal scale), and name those that matter.
function dependencies(lower: number[][], kept: number[], row: number[], names: readonly string[]): string[] {
  const beta = new Map<number, number>();
  for (let index = kept.length - 1; index >= 0; index -= 1) {
    const k = kept[index] ?? 0;
    let sum = row[k] ?? 0;
    for (let later = index + 1; later < kept.length; later += 1) {
      const m = kept[later] ?? 0;
      sum -= (lower[m]?.[k] ?? 0) * (beta.get(m) ?? 0);
    }
    beta.set(k, sum / (lower[k]?.[k] ?? 1));
  }
  const largest = Math.max(0, ...[...beta.values()].map(Math.abs));
  return kept.filter((k) => Math.abs(beta.get(k) ?? 0) > 1e-6 * Math.max(1, largest)).map((k) => names[k] ?? `#${k}`);
}
