import type { Grouping } from '../profile/groupings.js';
import { scopeSelect } from '../scope-query.js';
import { numberOf, SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import type { ScoreSource } from './search.js';

/** An attribute whose levels alone explain at least this share of the variation in net value per customer-month is a price tier. */
export const PRICE_TIER_SHARE = 0.5;

export interface ExplainedShare {
  grouping: Grouping;
  /** η²: between-level sum of squares over the total (0-1). */
  share: number;
}

/**
 * How much of the variation in a per-customer measure each grouping's levels
 * explain (η², the correlation ratio), one GROUP BY each. Used to spot a
 * price tier: an attribute such as a plan explains most of what customers
 * pay, so a rule on it restates that a bigger plan pays more rather than
 * describing who the good customers are.
 */
export async function explainedShares(ctx: AnalysisContext, source: Pick<ScoreSource, 'join' | 'where' | 'query'>, measure: string, groupings: readonly Grouping[]): Promise<ExplainedShare[]> {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const x = d.toDouble(measure);
  const out: ExplainedShare[] = [];
  for (const grouping of groupings) {
    const values = new SqlValues(ctx.engine, 'ipt');
    const sql = scopeSelect(ctx, {
      items: [`${grouping.expr} AS ${q('_g')}`, `count(${x}) AS ${q('_n')}`, `sum(${x}) AS ${q('_s')}`, `sum(${x} * ${x}) AS ${q('_q')}`],
      ...(source.join === null ? {} : { join: source.join }),
      where: source.where,
      groupBy: [grouping.expr],
    });
    const rows = (await source.query(sql, values)).map((r) => ({ n: numberOf(r['_n']) ?? 0, s: numberOf(r['_s']) ?? 0, q: numberOf(r['_q']) ?? 0 }));
    const n = rows.reduce((a, r) => a + r.n, 0);
    const sum = rows.reduce((a, r) => a + r.s, 0);
    const squares = rows.reduce((a, r) => a + r.q, 0);
    const mean = n > 0 ? sum / n : 0;
    const total = squares - n * mean * mean;
    const between = rows.reduce((a, r) => (r.n > 0 ? a + r.n * (r.s / r.n - mean) ** 2 : a), 0);
    out.push({ grouping, share: total > 0 ? Math.min(1, between / total) : 0 });
  }
  return out;
}
