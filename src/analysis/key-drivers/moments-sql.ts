import { blockSums, replicateTotals } from '../block-bootstrap.js';
import { scopeQuery } from '../scope-query.js';
import { numberOf, type SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import type { Moments } from './types.js';

/**
 * The rows of one model as a SELECT (built with scopeSelect): a column `_u`,
 * the bootstrap block (blockKeySql), and one column per variable, the outcome
 * first. A row is complete when none of its variables is NULL; only complete
 * rows enter the model.
 */
export interface ModelRows {
  select: string;
  values: SqlValues[];
  /** Column names of the variables, outcome first (each starts with `_`). */
  columns: string[];
}

type Ctx = Pick<AnalysisContext, 'engine' | 'scope' | 'signal'>;

function complete(ctx: Ctx, rows: ModelRows): string {
  const q = ctx.engine.dialect.quoteIdent;
  return rows.columns.map((c) => `${q(c)} IS NOT NULL`).join(' AND ');
}

/** n, Σv_i and Σv_i·v_j (i ≤ j) for the variables at `indices`. */
function momentItems(ctx: Ctx, rows: ModelRows, indices: readonly number[]): string[] {
  const q = ctx.engine.dialect.quoteIdent;
  const col = (i: number): string => q(rows.columns[i] ?? '');
  const items = [`count(*) AS ${q('_n')}`];
  indices.forEach((i, a) => {
    items.push(`sum(${col(i)}) AS ${q(`_s${a}`)}`);
    indices.forEach((j, b) => {
      if (b >= a) items.push(`sum(${col(i)} * ${col(j)}) AS ${q(`_p${a}_${b}`)}`);
    });
  });
  return items;
}

function momentsOf(row: Record<string, unknown> | undefined, size: number): Moments {
  const n = numberOf(row?.['_n']) ?? 0;
  const sums = Array.from({ length: size }, (_, a) => numberOf(row?.[`_s${a}`]) ?? 0);
  const products = Array.from({ length: size }, () => new Array<number>(size).fill(0));
  for (let a = 0; a < size; a += 1) {
    for (let b = a; b < size; b += 1) {
      const value = numberOf(row?.[`_p${a}_${b}`]) ?? 0;
      (products[a] as number[])[b] = value;
      (products[b] as number[])[a] = value;
    }
  }
  return { n, sums, products };
}

/**
 * The moments of the complete rows, for the variables at `indices` (all by
 * default). One aggregate over the model's rows.
 */
export async function pointMoments(ctx: Ctx, rows: ModelRows, indices: readonly number[] = rows.columns.map((_, i) => i)): Promise<Moments> {
  const sql = `SELECT ${momentItems(ctx, rows, indices).join(', ')} FROM (${rows.select}) AS ${ctx.engine.dialect.quoteIdent('_t')} WHERE ${complete(ctx, rows)}`;
  const [row] = await scopeQuery(ctx, sql, ...rows.values);
  return momentsOf(row, indices.length);
}

/**
 * The moments of the complete rows under `replicates` Poisson(1) bootstrap
 * weightings: the moments summed per bootstrap block in one GROUP BY, the
 * blocks reweighted here (block-bootstrap.ts), so every engine gets the
 * same replicates and the intervals agree across engines.
 */
export async function replicateMoments(ctx: Ctx, rows: ModelRows, indices: readonly number[], replicates: number, seed: number): Promise<Moments[]> {
  const blocks = await blockSums(ctx, rows.select, momentItems(ctx, rows, indices), complete(ctx, rows), ...rows.values);
  return replicateTotals(blocks, replicates, seed).map((totals) => momentsOf(totals, indices.length));
}
