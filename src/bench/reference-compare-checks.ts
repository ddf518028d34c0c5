import type { Result } from '../analysis/result.js';

/**
 * One compared figure (a ledger count, a facts column, a profile table) and
 * the tolerances values are compared with. Counts, text, flags and money are
 * compared exactly (money to the cent); doubles to a relative 1e-9, which
 * leaves room only for summation order (the reference sums in another order
 * than DuckDB, so the last bits of a mean differ); regression estimates to a
 * relative 1e-6 (REGRESSION_RELATIVE says why).
 */

/** A value that differs, with where it was found. */
export interface Difference {
  where: string;
  reference: unknown;
  cxray: unknown;
}

export interface FigureCheck {
  /** What was compared, e.g. `ledger unified_payments.csv`, `facts revenue`, `profile value_tiers`. */
  figure: string;
  /** How many values were compared. */
  compared: number;
  differing: number;
  tolerance: string;
  /** The first few differences. */
  examples: Difference[];
}

export const EXAMPLES = 5;

export const RELATIVE = 1e-9;
/** Below this, two doubles are both zero up to rounding (a difference of nearly equal sums). */
export const ABSOLUTE = 1e-12;
export const DOUBLE_TOLERANCE = `relative ${RELATIVE} (absolute ${ABSOLUTE} near 0): only summation order differs`;
/**
 * p- and q-values come from two implementations of the t and normal tails
 * (cxray's own incomplete beta and erfc, scipy's cephes). The tails agree to
 * a relative 1e-12 even at p = 1e-246, but a p far in the tail magnifies its
 * statistic's rounding: at 1M customers a z of about 29.6 whose sums differ
 * in the 11th digit gave p = 1.6871267e-192 against 1.6871271e-192 (relative
 * 1.8e-9). So p is compared on the log scale, |ln a − ln b| within the
 * relative tolerance of max(1, |ln a|): a relative 1e-9 for p near 1, the
 * statistic's own precision in the tail, and no absolute floor (a tiny p
 * never passes as 0).
 */
export const P_VALUE_TOLERANCE = `|ln p| relative ${RELATIVE} (absolute near p = 1), no absolute floor`;

export function closePValues(a: number, b: number, relative = RELATIVE): boolean {
  if (a === b) return true;
  if (!(a > 0) || !(b > 0) || !Number.isFinite(a) || !Number.isFinite(b)) return false;
  const la = Math.log(a);
  return Math.abs(la - Math.log(b)) <= relative * Math.max(1, Math.abs(la));
}

/**
 * Regression estimates (coefficients, their robust intervals and p-values,
 * odds ratios, relative weights and what follows from them): the same model
 * solved by two implementations, cxray's sums in SQL then a Cholesky solve of
 * X'WX, the reference's statsmodels (QR / pinv) or numpy. Measured at 20k
 * they agree to about 2e-10 relative; the worst case is a raw difference of
 * two nearly equal per-month means (self-service revenue: 49.1912 against
 * 49.1879 a month, a difference of 0.0032), where the sums' rounding is
 * amplified by the cancellation. 1e-6 leaves room for that at a larger scale
 * and still catches any change of definition or population.
 */
export const REGRESSION_RELATIVE = 1e-6;
export const REGRESSION_TOLERANCE = `relative ${REGRESSION_RELATIVE} (absolute ${ABSOLUTE} near 0; p-values without the floor): two solvers of the same model`;

/**
 * A p-value of a fitted model (a quasi-Poisson rate ratio, a hazard ratio,
 * a deviation from a least-squares line), or a q-value among them, on the
 * log scale as closePValues compares, to the regression tolerance: a
 * fitted statistic z known to a relative 1e-7 moves ln p by about z²·1e-7,
 * which at p = 1e-80 (z ≈ 19) is 4e-5 of p but 2e-7 of ln p.
 */
export const FITTED_P_VALUE_TOLERANCE = `|ln p| relative ${REGRESSION_RELATIVE} (absolute near p = 1), no absolute floor: p of a fitted model`;

export function closeDoubles(a: number, b: number, relative = RELATIVE, absolute = ABSOLUTE): boolean {
  if (a === b) return true;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  return Math.abs(a - b) <= Math.max(relative * Math.max(Math.abs(a), Math.abs(b)), absolute);
}

/** Numbers from JSON or an engine: bigint counts and DECIMAL strings become numbers. */
export function asNumber(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return null;
}

export type ValueKind = 'exact' | 'double' | 'p_value' | 'regression' | 'regression_p_value' | 'fitted_p_value';

/** Whether two cells agree under the rule of their kind; nulls agree only with nulls. */
export function sameValue(reference: unknown, cxray: unknown, kind: ValueKind): boolean {
  const nullish = (v: unknown): boolean => v === null || v === undefined;
  if (nullish(reference) || nullish(cxray)) return nullish(reference) && nullish(cxray);
  if (kind === 'exact') {
    const a = asNumber(reference);
    const b = asNumber(cxray);
    if (a !== null && b !== null && typeof reference !== 'boolean' && typeof cxray !== 'boolean') return a === b;
    return reference === cxray;
  }
  const a = asNumber(reference);
  const b = asNumber(cxray);
  if (a === null || b === null) return false;
  if (kind === 'regression') return closeDoubles(a, b, REGRESSION_RELATIVE);
  if (kind === 'regression_p_value') return closeDoubles(a, b, REGRESSION_RELATIVE, 0);
  if (kind === 'fitted_p_value') return closePValues(a, b, REGRESSION_RELATIVE);
  return kind === 'double' ? closeDoubles(a, b) : closePValues(a, b);
}

/** Folds pairs of values into one check. */
export class CheckBuilder {
  private compared = 0;
  private readonly differences: Difference[] = [];
  private differing = 0;

  constructor(
    private readonly figure: string,
    private readonly tolerance: string,
  ) {}

  add(where: string, reference: unknown, cxray: unknown, kind: ValueKind = 'exact'): void {
    this.compared += 1;
    if (sameValue(reference, cxray, kind)) return;
    this.differing += 1;
    if (this.differences.length < EXAMPLES) this.differences.push({ where, reference, cxray });
  }

  /** A difference found without a value pair (a row only one side has). */
  missing(where: string, reference: unknown, cxray: unknown): void {
    this.compared += 1;
    this.differing += 1;
    if (this.differences.length < EXAMPLES) this.differences.push({ where, reference, cxray });
  }

  build(): FigureCheck {
    return { figure: this.figure, compared: this.compared, differing: this.differing, tolerance: this.tolerance, examples: [...this.differences] };
  }
}

/** Whether the analysis ran on each side; a check of its own, so a skipped or failed run is reported, not passed over. */
export function statusCheck(figure: string, reference: { status: string } | undefined, result: Result | undefined): FigureCheck {
  const check = new CheckBuilder(figure, 'exact');
  if (reference === undefined) check.missing('status', 'no such section in the reference JSON (written before the reference computed it)', result?.status ?? null);
  else check.add('status', reference.status, result?.status ?? null);
  return check.build();
}
