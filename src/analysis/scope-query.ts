import type { Row } from '../engine/types.js';
import type { SqlValues } from './sql-values.js';
import type { AnalysisContext } from './types.js';

/** The parts of one query over the customers in scope. */
export interface ScopeSelect {
  /**
   * SELECT items. Their aliases start with `_`: ClickHouse puts an alias's
   * expression wherever its name appears in the statement, so an alias named
   * like a customer_facts column (all start with a letter) would capture it.
   */
  items: readonly string[];
  /** A join of a per-customer aggregate (`perCustomerJoin`). */
  join?: string;
  /** Conditions on top of the segment's. */
  where?: readonly string[];
  groupBy?: readonly string[];
}

/**
 * `SELECT items FROM customer_facts [join] WHERE <segment> AND ... [GROUP BY ...]`.
 *
 * How data moves on a cluster: customer_facts is read directly (never
 * through a subquery), so the Distributed table sends the whole statement,
 * join and aggregates included, to every shard; each shard aggregates its own
 * customers and the entry server merges the partial aggregates (counts and
 * sums; the values themselves only for exact quantiles and running totals,
 * which need them all in one place). A subquery over customer_facts would
 * instead ship every in-scope customer's row to the entry server for each query.
 */
export function scopeSelect(ctx: Pick<AnalysisContext, 'scope'>, s: ScopeSelect): string {
  const where = [ctx.scope.where, ...(s.where ?? [])].join(' AND ');
  const groupBy = s.groupBy === undefined || s.groupBy.length === 0 ? '' : ` GROUP BY ${s.groupBy.join(', ')}`;
  return `SELECT ${s.items.join(', ')} FROM ${ctx.scope.table}${s.join === undefined ? '' : ` ${s.join}`} WHERE ${where}${groupBy}`;
}

/** Results kept per scope (one analyze run on one import version): at most this many rows each. */
const CACHED_ROWS = 1000;

/** The statement and the values of the parameters it names: equal keys give equal answers on one import version. */
function cacheKey(sql: string, params: Record<string, unknown>): string {
  const named = [...new Set(sql.match(/\$[A-Za-z_][A-Za-z0-9_]*/g) ?? [])].sort();
  const used = named.map((name) => {
    const value = params[name.slice(1)];
    return [name, typeof value === 'bigint' ? `${value}n` : value instanceof Date ? value.toISOString() : value];
  });
  return `${sql}\u0000${JSON.stringify(used)}`;
}

/**
 * Runs an analysis query with the scope's parameters (the segment rule) and
 * those of the fragments it was built from. The same statement with the same
 * values is asked once per analyze run: the import version is read-only, so
 * its answer cannot change, and analyses ask the same small questions (a
 * covariate's levels, the customers in a window) many times, each a round
 * trip to every shard on a cluster. Kept in ctx.queryCache (runAnalyses
 * makes one per run; without it nothing is kept); answers over CACHED_ROWS
 * rows are not kept.
 */
export function scopeQuery<R extends Row = Row>(ctx: Pick<AnalysisContext, 'engine' | 'scope' | 'signal' | 'queryCache'>, sql: string, ...values: SqlValues[]): Promise<R[]> {
  const params = scopeParams(ctx, values);
  return keptAnswer(ctx, sql, params, () => ctx.engine.query<R>(sql, params, ctx.signal === undefined ? {} : { signal: ctx.signal }));
}

/** The scope's parameters (the segment rule) and those of the fragments a statement was built from. */
export function scopeParams(ctx: Pick<AnalysisContext, 'scope'>, values: readonly SqlValues[]): Record<string, never> {
  return Object.assign({}, ctx.scope.params, ...values.map((v) => v.params)) as Record<string, never>;
}

/**
 * The answer to `key` (a statement) with `params`, asked at most once per
 * analyze run (see scopeQuery): `ask` runs only when no answer is kept.
 */
export function keptAnswer<R extends Row = Row>(ctx: Pick<AnalysisContext, 'queryCache'>, key: string, params: Record<string, unknown>, ask: () => Promise<R[]>): Promise<R[]> {
  const kept = ctx.queryCache;
  if (kept === undefined) return ask();
  const cached = cacheKey(key, params);
  const own = (rows: R[]): R[] => (rows.length > CACHED_ROWS ? rows : rows.map((row) => ({ ...row })));
  const hit = kept.get(cached) as Promise<R[]> | undefined;
  if (hit !== undefined) return hit.then(own);
  const store = kept;
  const answer = ask();
  store.set(cached, answer);
  return answer.then(
    (rows) => {
      if (rows.length > CACHED_ROWS) store.delete(cached);
      return own(rows);
    },
    (error: unknown) => {
      store.delete(cached);
      throw error;
    },
  );
}
