import { scopeQuery } from '../scope-query.js';
import { numberOf, type SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import { MAX_REPLICATES, poissonWeightSql, replicateKeySql } from './poisson-weight-sql.js';
import type { Moments } from './types.js';

/**
 * The rows of one model as a SELECT (built with scopeSelect): a column `_u`,
 * the bootstrap unit (unitKeySql), and one column per variable, the outcome
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

/** Σw, Σw·v_i and Σw·v_i·v_j (i ≤ j) over `from`, for the variables at `indices`. */
function momentItems(ctx: Ctx, rows: ModelRows, indices: readonly number[], weight: string | null): string[] {
  const q = ctx.engine.dialect.quoteIdent;
  const col = (i: number): string => q(rows.columns[i] ?? '');
  const times = weight === null ? '' : `${weight} * `;
  const items = [weight === null ? `count(*) AS ${q('_n')}` : `sum(${weight}) AS ${q('_n')}`];
  indices.forEach((i, a) => {
    items.push(`sum(${times}${col(i)}) AS ${q(`_s${a}`)}`);
    indices.forEach((j, b) => {
      if (b >= a) items.push(`sum(${times}${col(i)} * ${col(j)}) AS ${q(`_p${a}_${b}`)}`);
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
  const sql = `SELECT ${momentItems(ctx, rows, indices, null).join(', ')} FROM (${rows.select}) AS ${ctx.engine.dialect.quoteIdent('_t')} WHERE ${complete(ctx, rows)}`;
  const [row] = await scopeQuery(ctx, sql, ...rows.values);
  return momentsOf(row, indices.length);
}

/**
 * The moments of the complete rows under `replicates` Poisson(1) bootstrap
 * weightings (Hanley & MacGibbon 2006), one GROUP BY over the rows crossed
 * with the replicate numbers. Each unit's weight is drawn from the portable
 * hash of (unit, replicate, seed), so every engine draws the same replicates
 * and the intervals agree across engines. Rows travel once from the shards;
 * the replicate numbers are the small side of the join.
 */
export async function replicateMoments(ctx: Ctx, rows: ModelRows, indices: readonly number[], replicates: number, seed: number): Promise<Moments[]> {
  if (!Number.isInteger(replicates) || replicates < 1 || replicates > MAX_REPLICATES) throw new RangeError(`replicates must be 1..${MAX_REPLICATES}`);
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const vars = indices.map((i) => q(rows.columns[i] ?? ''));
  const r = q('_i');
  const hashed =
    `SELECT ${r}, ${vars.join(', ')}, ${d.hashInteger(replicateKeySql(d, q('_u'), r, seed))} AS ${q('_h')} ` +
    `FROM (${rows.select}) AS ${q('_t')} CROSS JOIN ${d.integerSeries(replicates, '_i')} AS ${q('_r')} WHERE ${complete(ctx, rows)}`;
  const weighted = `SELECT ${r}, ${vars.join(', ')}, ${poissonWeightSql(d, q('_h'))} AS ${q('_w')} FROM (${hashed}) AS ${q('_a')}`;
  const local: ModelRows = { ...rows, columns: indices.map((i) => rows.columns[i] ?? '') };
  const items = momentItems(ctx, local, local.columns.map((_, a) => a), q('_w'));
  const sql = `SELECT ${r}, ${items.join(', ')} FROM (${weighted}) AS ${q('_b')} GROUP BY ${r}`;
  const result = await scopeQuery(ctx, sql, ...rows.values);
  const byReplicate = new Map(result.map((row) => [numberOf(row['_i']) ?? -1, row]));
  return Array.from({ length: replicates }, (_, i) => momentsOf(byReplicate.get(i), indices.length));
}
