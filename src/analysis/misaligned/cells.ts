import { MAX_LEVELS } from '../profile/attributes.js';
import type { Grouping } from '../profile/groupings.js';
import { scopeQuery, scopeSelect } from '../scope-query.js';
import { SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import { measuresQuery, type CustomerMeasures } from '../value/measures.js';
import { NET_VALUE } from '../value/parts.js';
import { readSums, sumItems, type GroupSums, type SumsSpec } from '../value/sums.js';

/** One condition of a segment: a grouping at one level. */
export interface CellCondition {
  grouping: Grouping;
  level: string;
}

/** A segment of one, two or three conditions, and its customers' sums. */
export interface Cell {
  /** In the order of the groupings. */
  conditions: CellCondition[];
  /** Stable: `grouping=level` joined by `&`. */
  key: string;
  sums: GroupSums;
}

/** What each cell sums: net value (per customer-month), satisfaction, and who is still a customer. */
export const CELL_SPEC: SumsSpec = { money: [NET_VALUE], satisfaction: true };

/** Segments are cells of at most this many attributes. */
export const MAX_CONDITIONS = 3;

export function cellKey(conditions: readonly CellCondition[]): string {
  return conditions.map((c) => `${c.grouping.key}=${c.level}`).join('&');
}

/** Every set of 1 to `size` groupings, in grouping order, no two on the same attribute. */
export function combinations(groupings: readonly Grouping[], size = MAX_CONDITIONS): Grouping[][] {
  const out: Grouping[][] = [];
  const extend = (start: number, chosen: Grouping[]): void => {
    if (chosen.length > 0) out.push(chosen);
    if (chosen.length === size) return;
    for (let i = start; i < groupings.length; i += 1) {
      const g = groupings[i] as Grouping;
      if (chosen.some((c) => c.attribute.name === g.attribute.name)) continue;
      extend(i + 1, [...chosen, g]);
    }
  };
  extend(0, []);
  return out;
}

/**
 * The cells of one combination of groupings, from one GROUP BY query (one
 * query per combination, not per cell), those under the minimum size left
 * out by HAVING: they are pooled, never ranked.
 */
export async function combinationCells(ctx: AnalysisContext, measures: CustomerMeasures, combination: readonly Grouping[], minimum: number): Promise<Cell[]> {
  const q = ctx.engine.dialect.quoteIdent;
  const values = new SqlValues(ctx.engine, 'mc');
  const sql = scopeSelect(ctx, {
    items: [...combination.map((g, i) => `${g.expr} AS ${q(`_g${i}`)}`), ...sumItems(ctx, measures, CELL_SPEC)],
    ...(measures.join === undefined ? {} : { join: measures.join }),
    where: measures.where,
    groupBy: combination.map((g) => g.expr),
  });
  const rows = await measuresQuery(ctx, measures, `${sql} HAVING count(*) >= ${values.bind(minimum)}`, values);
  const cells = rows.map((r) => {
    const conditions = combination.map((grouping, i) => ({ grouping, level: String(r[`_g${i}`]) }));
    return { conditions, key: cellKey(conditions), sums: readSums(ctx, r, CELL_SPEC) };
  });
  // Engines return groups in any order: sort, so that every engine lists (and screens) the same cells alike.
  return cells.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** The groupings worth scanning: at least two levels in scope, at most MAX_LEVELS (`left` lists those with more). */
export async function scannableGroupings(ctx: AnalysisContext, groupings: readonly Grouping[], values: SqlValues): Promise<{ groupings: Grouping[]; left: Grouping[] }> {
  const kept: Grouping[] = [];
  const left: Grouping[] = [];
  for (const g of groupings) {
    const q = ctx.engine.dialect.quoteIdent;
    const sql = scopeSelect(ctx, { items: [`${g.expr} AS ${q('_g')}`], groupBy: [g.expr] });
    const rows = await scopeQuery(ctx, `${sql} LIMIT ${MAX_LEVELS + 1}`, values);
    // One level splits nothing (a grouping the segment rule fixes); too many make mostly tiny cells.
    if (rows.length > MAX_LEVELS) left.push(g);
    else if (rows.length > 1) kept.push(g);
  }
  return { groupings: kept, left };
}

/** SQL condition: the customer is in the cell. */
export function cellCondition(cell: Pick<Cell, 'conditions'>, values: SqlValues): string {
  return `(${cell.conditions.map((c) => `${c.grouping.expr} = ${values.bind(c.level)}`).join(' AND ')})`;
}
