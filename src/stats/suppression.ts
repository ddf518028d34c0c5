import { assertInput } from './invalid-input.js';

/** Cells with fewer observations than this are not shown (DESIGN.md: small segments are pooled, not ranked). */
export const MINIMUM_CELL_COUNT = 5;

export type SuppressibleCell<T extends { n: number }, K extends keyof T> = (T & { suppressed: false }) | (Pick<T, K> & { suppressed: true });

/** True when a cell of n observations must be suppressed. */
export function isSuppressed(n: number, minimum = MINIMUM_CELL_COUNT): boolean {
  return n < minimum;
}

/**
 * Replaces every cell with n < minimum by its identifying fields only (`keep`,
 * e.g. the segment name) and `suppressed: true`: its estimate, interval and
 * exact n are withheld, both because they are too noisy to show and because a
 * count of 1–4 can identify a person.
 *
 * @example suppressSmallCells(rows, ['segment']) // [{ segment: 'B2B', suppressed: true }, …]
 */
export function suppressSmallCells<T extends { n: number }, K extends keyof T>(
  cells: readonly T[],
  keep: readonly K[],
  minimum = MINIMUM_CELL_COUNT,
): SuppressibleCell<T, K>[] {
  assertInput(Number.isInteger(minimum) && minimum >= 1, `The minimum cell count must be a positive integer; got ${minimum}.`);
  return cells.map((cell) => {
    if (!isSuppressed(cell.n, minimum)) return { ...cell, suppressed: false as const };
    const kept = {} as Pick<T, K>;
    for (const key of keep) kept[key] = cell[key];
    return { ...kept, suppressed: true as const };
  });
}
