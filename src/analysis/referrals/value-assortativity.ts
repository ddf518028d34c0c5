import { scopeSelect } from '../scope-query.js';
import { numberOf, type SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import { clusteredCorrelation, type ClusteredCorrelation, type ValueCluster } from './clustered-correlation.js';
import { earlyValue, type EarlyValue } from './early-value.js';
import { referredConditions } from './pairs-sql.js';

/** Windows tried, longest first: a year of value where enough pairs had it, else the first 90 days. */
export const EARLY_VALUE_WINDOWS = [365, 90] as const;

/** Pairs with both sides' window complete needed to use a window. */
export const MINIMUM_VALUE_PAIRS = 30;

export interface ValueAssortativity {
  days: number;
  /** Spearman's rho over the pairs (ranks: money is heavy-tailed), clustered by referrer. */
  rank: ClusteredCorrelation;
  /** Pearson's r on the money itself. */
  linear: ClusteredCorrelation | null;
  /** Mean early value of the referrers and of the customers they brought, over the pairs. */
  referrerMean: number;
  referredMean: number;
}

/**
 * Whether valuable customers bring valuable customers: the correlation
 * between a referrer's early net value and that of each customer it
 * brought, both over their own first `days` days (EARLY_VALUE_WINDOWS).
 *
 * How data moves: a referrer and its customers sit on different shards, so
 * each side is summed per customer where it lives (early value is
 * co-located), and the two small results (one row per referrer in scope,
 * one per referred customer) are joined here by referrer id. Pairs whose
 * referrer or referred customer lacks a complete window are left out.
 */
export async function valueAssortativity(ctx: AnalysisContext, values: SqlValues): Promise<{ result: ValueAssortativity | null; note: string | null }> {
  let tried = 0;
  for (const days of EARLY_VALUE_WINDOWS) {
    const early = await earlyValue(ctx, values, days);
    if (early === null) return { result: null, note: 'No transactions: early value cannot be measured.' };
    const clusters = await pairedValues(ctx, values, early);
    tried = clusters.reduce((s, c) => s + c.ys.length, 0);
    if (tried < MINIMUM_VALUE_PAIRS) continue;
    const rank = clusteredCorrelation(clusters, { ranks: true });
    if (rank === null) continue;
    const pairs = clusters.flatMap((c) => c.ys.map((y) => [c.x, y] as const));
    return {
      result: {
        days,
        rank,
        linear: clusteredCorrelation(clusters),
        referrerMean: pairs.reduce((s, p) => s + p[0], 0) / pairs.length,
        referredMean: pairs.reduce((s, p) => s + p[1], 0) / pairs.length,
      },
      note: null,
    };
  }
  return {
    result: null,
    note: `Too few pairs in which both the referrer and the customer it brought had ${EARLY_VALUE_WINDOWS[EARLY_VALUE_WINDOWS.length - 1]} days of tenure (${tried}; ${MINIMUM_VALUE_PAIRS} needed) to compare their value at equal tenure.`,
  };
}

async function pairedValues(ctx: AnalysisContext, values: SqlValues, early: EarlyValue): Promise<ValueCluster[]> {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const run = (sql: string) => ctx.engine.query(sql, { ...ctx.scope.params, ...early.params, ...values.params }, ctx.signal === undefined ? {} : { signal: ctx.signal });
  const referrers = await run(
    scopeSelect(ctx, {
      items: [`${d.toString(q('customer_id'))} AS ${q('_id')}`, `${d.toDouble(early.value)} AS ${q('_x')}`],
      join: early.join,
      where: [`${q('referrals_made')} > 0`, early.eligible],
    }),
  );
  // The referred side is not restricted to the scope: a pair is in scope when its referrer is.
  const referred = await run(
    `SELECT ${d.toString(q('referred_by'))} AS ${q('_id')}, ${d.toDouble(early.value)} AS ${q('_y')} FROM ${ctx.scope.table} ${early.join} ` +
      `WHERE ${[...referredConditions(ctx, values), early.eligible].join(' AND ')}`,
  );
  const byReferrer = new Map<string, { x: number; ys: number[] }>();
  for (const r of referrers) byReferrer.set(String(r['_id']), { x: numberOf(r['_x']) ?? 0, ys: [] });
  for (const r of referred) byReferrer.get(String(r['_id']))?.ys.push(numberOf(r['_y']) ?? 0);
  // A stable order (by id), so the same pairs give the same numbers whatever order the engine returned them in.
  return [...byReferrer.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, c]) => ({ x: c.x, ys: [...c.ys].sort((a, b) => a - b) }))
    .filter((c) => c.ys.length > 0);
}
