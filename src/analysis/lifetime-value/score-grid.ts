import { bgNbdExpectedPurchasesIfAlive, discountedExpectedPurchases, type BgNbdParams } from '../../stats/index.js';

/*
 * Per-customer expectations in SQL. BG/NBD's E[Y(t) | x, tₓ, T] is
 * P(alive | x, tₓ, T) · E[Y(t) | x, T, alive], and so is the discounted sum a
 * lifetime value prices. P(alive) has a closed form SQL can evaluate; the
 * alive part needs Gauss's ₂F₁, which it cannot. That part is tabulated here
 * for every x present, on one grid of nodes equally spaced in u = ln(α + T)
 * (T in days), with its exact derivative in u, and read back by cubic Hermite
 * interpolation (error O(h⁴)): the table stays small whatever the number of
 * customers, and `maxRelativeError` says how close it came at every (x, T)
 * present. Values travel as non-negative integers (scaled, derivatives offset)
 * in array literals, which read the same on every engine.
 */

export interface GridFunctions {
  /** E[Y(t) | x, T, alive] over the horizon. */
  ifAlive: (x: number, TDays: number) => number;
  /** Its discounted monthly sum. */
  discountedIfAlive: (x: number, TDays: number) => number;
}

export interface ScoreGrid {
  /** α in days: u = ln(alphaDays + T). */
  alphaDays: number;
  u0: number;
  du: number;
  /** Number of grid cells: nodes 0..cells. */
  cells: number;
  /** One row per (x, cell) needed: key = x·(cells + 1) + cell. */
  keys: number[];
  /** Per row: [value at the cell's left node, at its right node, derivative at left, at right], for each function. */
  ifAlive: [number, number, number, number][];
  discountedIfAlive: [number, number, number, number][];
  /** Largest relative error of the interpolated values at the (x, T) pairs present. */
  maxRelativeError: number;
}

/** The alive parts of BG/NBD's expectations for one fit, horizon and discount. */
export function gridFunctions(params: BgNbdParams, unitDays: number, horizon: { months: number; monthlyDiscountRate: number; daysPerMonth: number }): GridFunctions {
  const t = (horizon.months * horizon.daysPerMonth) / unitDays;
  const periodsPerMonth = horizon.daysPerMonth / unitDays;
  return {
    ifAlive: (x, TDays) => bgNbdExpectedPurchasesIfAlive(params, t, { x, T: TDays / unitDays }),
    discountedIfAlive: (x, TDays) =>
      discountedExpectedPurchases((s) => bgNbdExpectedPurchasesIfAlive(params, s, { x, T: TDays / unitDays }), { months: horizon.months, monthlyDiscountRate: horizon.monthlyDiscountRate, periodsPerMonth }),
  };
}

/** Nodes in u wide enough for the customers' ages, and no more than `maxRows` (x, cell) rows. */
export function buildScoreGrid(functions: GridFunctions, alphaDays: number, pairs: readonly { x: number; TDays: number }[], maxRows = 1500, maxCells = 32): ScoreGrid {
  const byX = new Map<number, { lo: number; hi: number }>();
  for (const { x, TDays } of pairs) {
    const range = byX.get(x);
    if (range === undefined) byX.set(x, { lo: TDays, hi: TDays });
    else byX.set(x, { lo: Math.min(range.lo, TDays), hi: Math.max(range.hi, TDays) });
  }
  const ages = pairs.map((p) => p.TDays);
  const u = (TDays: number): number => Math.log(alphaDays + TDays);
  const u0 = u(Math.min(...ages));
  const u1 = u(Math.max(...ages));
  // Cells: as many as fit in maxRows for the x values present (at least 4, at most maxCells).
  const xs = [...byX.keys()].sort((a, b) => a - b);
  let cells = maxCells;
  const rowsFor = (n: number): number => xs.reduce((sum, x) => sum + cellRange(byX.get(x) ?? { lo: 0, hi: 0 }, n).length, 0);
  const du = (n: number): number => (u1 > u0 ? (u1 - u0) / n : 1);
  function cellRange(range: { lo: number; hi: number }, n: number): number[] {
    const step = du(n);
    const first = Math.min(n - 1, Math.max(0, Math.floor((u(range.lo) - u0) / step)));
    const last = Math.min(n - 1, Math.max(0, Math.floor((u(range.hi) - u0) / step)));
    return Array.from({ length: last - first + 1 }, (_, k) => first + k);
  }
  while (cells > 4 && rowsFor(cells) > maxRows) cells -= 1;
  const step = du(cells);
  const ageAt = (node: number): number => Math.max(1e-9, Math.exp(u0 + node * step) - alphaDays);
  const node = (f: (x: number, T: number) => number, x: number, i: number): [number, number] => {
    const value = f(x, ageAt(i));
    const h = 1e-4 * step;
    const plus = f(x, Math.max(1e-9, Math.exp(u0 + i * step + h) - alphaDays));
    const minus = f(x, Math.max(1e-9, Math.exp(u0 + i * step - h) - alphaDays));
    return [value, (plus - minus) / (2 * h)];
  };
  const keys: number[] = [];
  const ifAlive: ScoreGrid['ifAlive'] = [];
  const discounted: ScoreGrid['discountedIfAlive'] = [];
  for (const x of xs) {
    const memo = new Map<number, { a: [number, number]; d: [number, number] }>();
    const at = (i: number): { a: [number, number]; d: [number, number] } => {
      let hit = memo.get(i);
      if (hit === undefined) {
        hit = { a: node(functions.ifAlive, x, i), d: node(functions.discountedIfAlive, x, i) };
        memo.set(i, hit);
      }
      return hit;
    };
    for (const i of cellRange(byX.get(x) ?? { lo: 0, hi: 0 }, cells)) {
      const left = at(i);
      const right = at(i + 1);
      keys.push(x * (cells + 1) + i);
      ifAlive.push([left.a[0], right.a[0], left.a[1], right.a[1]]);
      discounted.push([left.d[0], right.d[0], left.d[1], right.d[1]]);
    }
  }
  const grid: ScoreGrid = { alphaDays, u0, du: step, cells, keys, ifAlive, discountedIfAlive: discounted, maxRelativeError: 0 };
  let worst = 0;
  for (const { x, TDays } of pairs) {
    for (const [f, which] of [[functions.ifAlive, 'ifAlive'], [functions.discountedIfAlive, 'discountedIfAlive']] as const) {
      const exact = f(x, TDays);
      const approximate = interpolate(grid, which, x, TDays);
      if (exact > 0) worst = Math.max(worst, Math.abs(approximate - exact) / exact);
    }
  }
  grid.maxRelativeError = worst;
  return grid;
}

/** The cell of an age and the position within it, as the SQL computes them. */
export function gridCell(grid: Pick<ScoreGrid, 'u0' | 'du' | 'cells' | 'alphaDays'>, TDays: number): { cell: number; fraction: number } {
  const s = (Math.log(grid.alphaDays + TDays) - grid.u0) / grid.du;
  const cell = Math.min(grid.cells - 1, Math.max(0, Math.floor(s)));
  return { cell, fraction: s - cell };
}

/** Cubic Hermite basis on [0, 1]: value and derivative weights (derivatives in u, so scaled by du). */
export function hermite(fraction: number): [number, number, number, number] {
  const f = fraction;
  const f2 = f * f;
  const f3 = f2 * f;
  return [2 * f3 - 3 * f2 + 1, f3 - 2 * f2 + f, -2 * f3 + 3 * f2, f3 - f2];
}

const POSITIONS = new WeakMap<ScoreGrid, Map<number, number>>();

/** The interpolated value in TypeScript, for checks (the SQL computes the same). */
export function interpolate(grid: ScoreGrid, which: 'ifAlive' | 'discountedIfAlive', x: number, TDays: number): number {
  const { cell, fraction } = gridCell(grid, TDays);
  let positions = POSITIONS.get(grid);
  if (positions === undefined) {
    positions = new Map(grid.keys.map((key, i) => [key, i]));
    POSITIONS.set(grid, positions);
  }
  const index = positions.get(x * (grid.cells + 1) + cell) ?? -1;
  const row = grid[which][index];
  if (row === undefined) return Number.NaN;
  const [h00, h10, h01, h11] = hermite(fraction);
  return h00 * row[0] + h10 * grid.du * row[2] + h01 * row[1] + h11 * grid.du * row[3];
}
