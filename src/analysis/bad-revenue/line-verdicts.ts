import { benjaminiHochberg } from '../../stats/index.js';
import { concentration, type ClassBase, type Concentration } from './concentration.js';
import type { RevenueLine } from './revenue-lines.js';

export interface LineVerdict {
  line: RevenueLine;
  /** The concentration in each class (the classes' order); null when not estimable or the line is not compared. */
  byClass: (Concentration | null)[];
  /** Benjamini-Hochberg q-value among the compared lines, in the class alerted on (the first). */
  qValue: number | null;
  /** Earns clearly more than its share from the dissatisfied: q ≤ the FDR and the lower bound above the minimum ratio. */
  alert: boolean;
  /** Passes the FDR (the ratio is above 1) but its lower bound is not above the minimum ratio. */
  aboveOne: boolean;
}

export interface VerdictOptions {
  fdr: number;
  /** The practical threshold: the interval's lower bound must exceed it. */
  minimumRatio: number;
  level: number;
}

/**
 * Every line's concentration in every class, and the alert in the first
 * class: the one-sided p-values of the compared lines screened together
 * (Benjamini-Hochberg at the FDR), then the practical threshold on the
 * interval's lower bound. Under the complete null (no line concentrated) an
 * alert is a false discovery, so alerts fire in at most an FDR share of
 * analyses; the threshold only removes more.
 */
export function judgeLines(lines: readonly RevenueLine[], bases: readonly ClassBase[], options: VerdictOptions): LineVerdict[] {
  const byLine = lines.map((line) =>
    bases.map((base, i) => {
      const sums = line.raw.classes[i];
      return line.status !== 'compared' || sums === undefined ? null : concentration(sums, base, options.level);
    }),
  );
  const tested = byLine.map((c, i) => ({ c: c[0] ?? null, i })).filter((x): x is { c: Concentration; i: number } => x.c !== null);
  const q = benjaminiHochberg(tested.map((x) => x.c.pValue));
  const qByLine = new Map(tested.map((x, k) => [x.i, q[k] ?? 1]));
  return lines.map((line, i) => {
    const primary = byLine[i]?.[0] ?? null;
    const qValue = qByLine.get(i) ?? null;
    const passes = primary !== null && qValue !== null && qValue <= options.fdr;
    const alert = passes && primary.interval.lower > options.minimumRatio;
    return { line, byClass: byLine[i] ?? [], qValue, alert, aboveOne: passes && !alert };
  });
}
