import type { Row } from '../../engine/types.js';
import type { Grouping } from '../profile/groupings.js';
import { rowAggregateSelect } from '../row-values.js';
import { scopeQuery } from '../scope-query.js';
import { numberOf } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import type { FairValueLine, ResidualSums } from './balance-math.js';
import { columns, pairs, residualDef, symmetric } from './balance-sums.js';
import { joinedContext, type CustomerValues } from './customer-values.js';

/** One group of customers (a segment's level): who is in it, and its residual sums over those in the fit. */
export interface GroupResiduals {
  level: string;
  /** Customers counted (with exposure), and those still active. */
  customers: number;
  active: number;
  sums: ResidualSums;
}

/** The residual sums of each grouping's levels, and the overall B = Σ e²·x·x' when the query gave it. */
export interface SegmentResiduals {
  groups: { grouping: Grouping; residuals: GroupResiduals[] }[];
  meat: number[][] | null;
}

/**
 * At most this many cells of all the groupings crossed are read back in one
 * query; beyond it (many attributes with many levels), one query per grouping.
 */
export const CROSS_CELLS = 10_000;

interface Items {
  items: (ref: (name: string) => string) => string[];
  read(row: Row): Omit<GroupResiduals, 'level'>;
  meat(row: Row): number[][];
}

/** SELECT items of a group's residual sums (every fit sum guarded by the fit flag `f`), and their readers. */
function residualItems(ctx: AnalysisContext, cv: CustomerValues, withMeat: boolean): Items {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const p = cv.axes.length + 1;
  const items = (ref: (name: string) => string): string[] => {
    const x = columns(ctx, cv, ref);
    const [m, e, y] = [ref('m'), ref('e'), ref('y')];
    const inFit = (sql: string): string => `sum(CASE WHEN ${ref('f')} = 1 THEN ${sql} ELSE ${d.toDouble('0')} END)`;
    return [
      `count(*) AS ${q('_c')}`,
      `sum(${cv.active}) AS ${q('_act')}`,
      `sum(${ref('f')}) AS ${q('_n')}`,
      `${inFit(m)} AS ${q('_m')}`,
      `${inFit(`${m} * ${m}`)} AS ${q('_mm')}`,
      `${inFit(y)} AS ${q('_y')}`,
      `${inFit(e)} AS ${q('_e')}`,
      `${inFit(`${e} * ${e}`)} AS ${q('_ee')}`,
      `${inFit(`${m} * ${e}`)} AS ${q('_me')}`,
      ...x.slice(1).flatMap((xj, i) => [
        `${inFit(`${m} * ${xj}`)} AS ${q(`_mx${i + 1}`)}`,
        `${inFit(`${e} * ${e} * ${xj}`)} AS ${q(`_eex${i + 1}`)}`,
        `${inFit(`${m} * ${e} * ${xj}`)} AS ${q(`_mex${i + 1}`)}`,
      ]),
      ...(withMeat ? pairs(p).map(([j, k]) => `${inFit(`${e} * ${e} * ${x[j]} * ${x[k]}`)} AS ${q(`_b${j}_${k}`)}`) : []),
    ];
  };
  const get = (row: Row, name: string): number => numberOf(row[name]) ?? 0;
  const axes = cv.axes.map((_, i) => i + 1);
  return {
    items,
    read: (row) => {
      const months = get(row, '_m');
      return {
        customers: get(row, '_c'),
        active: get(row, '_act'),
        sums: {
          n: get(row, '_n'),
          months,
          monthsSquares: get(row, '_mm'),
          paid: get(row, '_y'),
          mx: [months, ...axes.map((j) => get(row, `_mx${j}`))],
          e: get(row, '_e'),
          ee: get(row, '_ee'),
          me: get(row, '_me'),
          eex: [get(row, '_ee'), ...axes.map((j) => get(row, `_eex${j}`))],
          mex: [get(row, '_me'), ...axes.map((j) => get(row, `_mex${j}`))],
        },
      };
    },
    meat: (row) => symmetric(p, (j, k) => get(row, `_b${j}_${k}`)),
  };
}

/** `SELECT keys, items ... WHERE counted GROUP BY exprs` over the row values (the residual at `line` among them). */
function groupedSelect(ctx: AnalysisContext, cv: CustomerValues, line: FairValueLine, keys: readonly string[], exprs: readonly string[], items: Items['items']): string {
  const sql = rowAggregateSelect(joinedContext(ctx, cv), [...cv.defs, residualDef(ctx, cv, line)], [cv.counted], (ref) => [...keys, ...items(ref)]);
  return `${sql} GROUP BY ${exprs.join(', ')}`;
}

const byLevel = (a: GroupResiduals, b: GroupResiduals): number => (a.level < b.level ? -1 : a.level > b.level ? 1 : 0);

function add(a: Omit<GroupResiduals, 'level'>, b: Omit<GroupResiduals, 'level'>): Omit<GroupResiduals, 'level'> {
  const plus = (x: readonly number[], y: readonly number[]): number[] => x.map((v, j) => v + (y[j] ?? 0));
  const s = a.sums;
  const t = b.sums;
  return {
    customers: a.customers + b.customers,
    active: a.active + b.active,
    sums: {
      n: s.n + t.n,
      months: s.months + t.months,
      monthsSquares: s.monthsSquares + t.monthsSquares,
      paid: s.paid + t.paid,
      mx: plus(s.mx, t.mx),
      e: s.e + t.e,
      ee: s.ee + t.ee,
      me: s.me + t.me,
      eex: plus(s.eex, t.eex),
      mex: plus(s.mex, t.mex),
    },
  };
}

/**
 * The residual sums of every level of one grouping in one GROUP BY; levels
 * with fewer than `minimum` customers are left out by HAVING (pooled, never
 * ranked). Sorted by level, so every engine lists them alike.
 */
export async function groupResiduals(ctx: AnalysisContext, cv: CustomerValues, line: FairValueLine, grouping: Grouping, minimum: number): Promise<GroupResiduals[]> {
  const q = ctx.engine.dialect.quoteIdent;
  const r = residualItems(ctx, cv, false);
  const sql = groupedSelect(ctx, cv, line, [`${grouping.expr} AS ${q('_g')}`], [grouping.expr], r.items);
  const rows = await scopeQuery(ctx, `${sql} HAVING count(*) >= ${cv.values.bind(minimum)}`, cv.values);
  return rows.map((row) => ({ level: String(row['_g']), ...r.read(row) })).sort(byLevel);
}

/**
 * Every grouping's levels from one query over the cells of all of them
 * crossed (each customer's long per-customer expressions evaluated once,
 * not once per grouping), added up here in a fixed order; with the overall
 * B. Null when there are more than `cap` cells.
 */
async function crossResiduals(ctx: AnalysisContext, cv: CustomerValues, line: FairValueLine, groupings: readonly Grouping[], minimum: number, cap: number): Promise<SegmentResiduals | null> {
  const q = ctx.engine.dialect.quoteIdent;
  const r = residualItems(ctx, cv, true);
  const keys = groupings.map((g, i) => `${g.expr} AS ${q(`_g${i}`)}`);
  const sql = groupedSelect(ctx, cv, line, keys, groupings.map((g) => g.expr), r.items);
  const rows = await scopeQuery(ctx, `${sql} LIMIT ${cap + 1}`, cv.values);
  if (rows.length > cap) return null;
  const cells = rows.map((row) => ({ key: groupings.map((_, i) => String(row[`_g${i}`])), row })).sort((a, b) => {
    for (let i = 0; i < a.key.length; i += 1) {
      const x = a.key[i] ?? '';
      const y = b.key[i] ?? '';
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  });
  const p = cv.axes.length + 1;
  let meat = symmetric(p, () => 0);
  const levels = groupings.map(() => new Map<string, Omit<GroupResiduals, 'level'>>());
  for (const cell of cells) {
    const read = r.read(cell.row);
    const b = r.meat(cell.row);
    meat = meat.map((row, j) => row.map((v, k) => v + (b[j]?.[k] ?? 0)));
    cell.key.forEach((level, i) => {
      const map = levels[i] as Map<string, Omit<GroupResiduals, 'level'>>;
      const had = map.get(level);
      map.set(level, had === undefined ? read : add(had, read));
    });
  }
  return {
    groups: groupings.map((grouping, i) => ({
      grouping,
      residuals: [...(levels[i] ?? new Map<string, Omit<GroupResiduals, 'level'>>()).entries()].filter(([, g]) => g.customers >= minimum).map(([level, g]) => ({ level, ...g })).sort(byLevel),
    })),
    meat,
  };
}

/** The residual sums of every level of every grouping: one query over their crossed cells, else one per grouping. */
export async function segmentResiduals(ctx: AnalysisContext, cv: CustomerValues, line: FairValueLine, groupings: readonly Grouping[], minimum: number, cap = CROSS_CELLS): Promise<SegmentResiduals> {
  if (groupings.length > 0) {
    const crossed = await crossResiduals(ctx, cv, line, groupings, minimum, cap);
    if (crossed !== null) return crossed;
  }
  const groups = [];
  for (const grouping of groupings) groups.push({ grouping, residuals: await groupResiduals(ctx, cv, line, grouping, minimum) });
  return { groups, meat: null };
}
