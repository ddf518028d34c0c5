import { ratioDifference } from '../ratio-estimate.js';
import { NET_VALUE } from '../value/parts.js';
import { perMonthSums, restOf, satisfactionRatioSums } from '../value/sums.js';
import { cellKey, type CellCondition } from './cells.js';
import type { CellVerdict, ScanOptions } from './scan.js';

/** A child with at least this share of its parent's customers has "nearly the same members". */
export const NEARLY_SAME_MEMBERS = 0.9;

export interface Described {
  verdict: CellVerdict;
  /** The shorter description that already says it. */
  by: CellVerdict;
}

/**
 * Whether the cell is clearly worse than the rest of a shorter description
 * holding it (those customers outside it): net value per customer-month or
 * satisfaction lower, the 95% interval of the difference below zero and the
 * difference past the practical threshold.
 */
export function clearlyWorse(child: CellVerdict, parent: CellVerdict, options: ScanOptions): boolean {
  const rest = restOf(parent.cell.sums, child.cell.sums);
  const money = ratioDifference(perMonthSums(child.cell.sums, NET_VALUE), perMonthSums(rest, NET_VALUE));
  if (money !== null && money.interval.upper < 0 && -money.estimate >= options.money) return true;
  const a = satisfactionRatioSums(child.cell.sums);
  const b = satisfactionRatioSums(rest);
  const satisfaction = a === null || b === null ? null : ratioDifference(a, b);
  return satisfaction !== null && satisfaction.interval.upper < 0 && -satisfaction.estimate >= options.points;
}

/** The conditions with some left out: the parents (one fewer) or every shorter description. */
function shorter(conditions: readonly CellCondition[], parentsOnly: boolean): CellCondition[][] {
  const out: CellCondition[][] = [];
  const n = conditions.length;
  for (let mask = 1; mask < (1 << n) - 1; mask += 1) {
    const kept = conditions.filter((_, i) => (mask & (1 << i)) !== 0);
    if (!parentsOnly || kept.length === n - 1) out.push(kept);
  }
  return out.sort((a, b) => a.length - b.length);
}

/**
 * The smallest clear description among the cells `flagged` picks. With
 * `parentsOnly` (the misaligned list, as asked): a cell whose parent (the
 * same conditions but one) is flagged too with nearly the same members is
 * described by the parent, unless it is clearly worse than the rest of it.
 * Without (the context lists): any flagged shorter description holding the
 * cell describes it, whatever its size, unless the cell is clearly worse.
 * Shorter descriptions are taken first, so a chain resolves to the shortest kept.
 */
export function smallestDescriptions(
  verdicts: readonly CellVerdict[],
  flagged: (v: CellVerdict) => boolean,
  options: ScanOptions,
  parentsOnly = true,
): { kept: CellVerdict[]; described: Described[] } {
  const candidates = verdicts.filter(flagged).sort((a, b) => a.cell.conditions.length - b.cell.conditions.length);
  const byKey = new Map(candidates.map((v) => [v.cell.key, v]));
  const describedBy = new Map<string, CellVerdict>();
  const kept: CellVerdict[] = [];
  const described: Described[] = [];
  for (const v of candidates) {
    let found: CellVerdict | undefined;
    for (const conditions of shorter(v.cell.conditions, parentsOnly)) {
      const ancestor = byKey.get(cellKey(conditions));
      if (ancestor === undefined) continue;
      if (parentsOnly && v.cell.sums.customers < NEARLY_SAME_MEMBERS * ancestor.cell.sums.customers) continue;
      if (clearlyWorse(v, ancestor, options)) continue;
      found = ancestor;
      break;
    }
    if (found === undefined) {
      kept.push(v);
      continue;
    }
    const by = describedBy.get(found.cell.key) ?? found;
    describedBy.set(v.cell.key, by);
    described.push({ verdict: v, by });
  }
  return { kept, described };
}
