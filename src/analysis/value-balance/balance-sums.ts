import { rowSums, type RowValueDef } from '../row-values.js';
import { numberOf } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import type { FairValueLine, LineSums } from './balance-math.js';
import { joinedContext, type CustomerValues } from './customer-values.js';

/**
 * The sums the value map is computed from, each one aggregation over the
 * customers in scope (mergeable across shards by addition): the line's
 * cross-products, then, with the fitted line bound as values, the residual
 * sums per segment and overall. Everything is DOUBLE; money is cast once per
 * customer.
 */

/** The axes with the intercept first (x_0 = 1), as references to row values. */
export function columns(ctx: AnalysisContext, cv: CustomerValues, ref: (name: string) => string): string[] {
  return [ctx.engine.dialect.toDouble('1'), ...cv.axes.map((a) => ref(a))];
}

/** The upper triangle's pairs (j ≤ k) of p columns. */
export function pairs(p: number): [number, number][] {
  const out: [number, number][] = [];
  for (let j = 0; j < p; j += 1) for (let k = j; k < p; k += 1) out.push([j, k]);
  return out;
}

export function symmetric(p: number, get: (j: number, k: number) => number): number[][] {
  const m = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  for (const [j, k] of pairs(p)) {
    const v = get(j, k);
    (m[j] as number[])[k] = v;
    (m[k] as number[])[j] = v;
  }
  return m;
}

/** Σ m·x·x', Σ x·y and the price's sums over the customers in the fit. */
export async function lineSums(ctx: AnalysisContext, cv: CustomerValues): Promise<LineSums> {
  const q = ctx.engine.dialect.quoteIdent;
  const p = cv.axes.length + 1;
  const items = (ref: (name: string) => string): string[] => {
    const x = columns(ctx, cv, ref);
    const [m, y] = [ref('m'), ref('y')];
    return [
      `count(*) AS ${q('_n')}`,
      ...pairs(p).map(([j, k]) => `sum(${m} * ${x[j]} * ${x[k]}) AS ${q(`_a${j}_${k}`)}`),
      ...x.map((xj, j) => `sum(${y} * ${xj}) AS ${q(`_b${j}`)}`),
      `sum(${y}) AS ${q('_y')}`,
      `sum(${y} * ${y}) AS ${q('_yy')}`,
      `sum(${m} * ${m}) AS ${q('_mm')}`,
      `sum(${y} * ${m}) AS ${q('_ym')}`,
      `sum(${y} * ${y} / ${m}) AS ${q('_yym')}`,
    ];
  };
  const row = await rowSums(joinedContext(ctx, cv), cv.defs, [cv.fit], items, cv.values, { complete: true });
  const get = (name: string): number => numberOf(row[name]) ?? 0;
  return {
    n: get('_n'),
    a: symmetric(p, (j, k) => get(`_a${j}_${k}`)),
    b: Array.from({ length: p }, (_, j) => get(`_b${j}`)),
    paid: get('_y'),
    paidSquares: get('_yy'),
    monthsSquares: get('_mm'),
    paidMonths: get('_ym'),
    paidSquaresPerMonth: get('_yym'),
  };
}

/** The row value `e`: each customer's residual at the fitted line, e = y − m·x'β, the coefficients bound as values. */
export function residualDef(ctx: AnalysisContext, cv: CustomerValues, line: FairValueLine): RowValueDef {
  const d = ctx.engine.dialect;
  return {
    name: 'e',
    sql: (ref) => {
      const x = columns(ctx, cv, ref);
      const fitted = line.coefficients.map((b, j) => `${d.toDouble(cv.values.bind(b))} * ${x[j]}`).join(' + ');
      return `(${ref('y')} - ${ref('m')} * (${fitted}))`;
    },
  };
}

/** B = Σ e²·x·x' over the customers in the fit: the "meat" of every robust variance here. */
export async function meatSums(ctx: AnalysisContext, cv: CustomerValues, line: FairValueLine): Promise<number[][]> {
  const q = ctx.engine.dialect.quoteIdent;
  const p = cv.axes.length + 1;
  const items = (ref: (name: string) => string): string[] => {
    const x = columns(ctx, cv, ref);
    const e = ref('e');
    return pairs(p).map(([j, k]) => `sum(${e} * ${e} * ${x[j]} * ${x[k]}) AS ${q(`_b${j}_${k}`)}`);
  };
  const row = await rowSums(joinedContext(ctx, cv), [...cv.defs, residualDef(ctx, cv, line)], [cv.fit], items, cv.values, { complete: true });
  return symmetric(p, (j, k) => numberOf(row[`_b${j}_${k}`]) ?? 0);
}
