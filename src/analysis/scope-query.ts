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

/** Runs an analysis query with the scope's parameters (the segment rule) and those of the fragments it was built from. */
export function scopeQuery<R extends Row = Row>(ctx: Pick<AnalysisContext, 'engine' | 'scope' | 'signal'>, sql: string, ...values: SqlValues[]): Promise<R[]> {
  const params = Object.assign({}, ctx.scope.params, ...values.map((v) => v.params)) as Record<string, never>;
  return ctx.engine.query<R>(sql, params, ctx.signal === undefined ? {} : { signal: ctx.signal });
}
