import type { RowValue } from '../../engine/types.js';
import { hasRows } from '../needs.js';
import { periodConditions } from '../period-sql.js';
import { perCustomerSubquery } from '../per-customer-join.js';
import { scopeQuery, scopeSelect } from '../scope-query.js';
import { numberOf, requiredNumber, type SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import type { CohortSql } from './cohort-sql.js';
import { DAY_MS } from './fiscal-calendar.js';

/** One calendar day of sales: new customers acquired and purchase revenue booked (0 on a day without any). */
export interface SalesDay {
  /** Midnight UTC, epoch ms. */
  dayMs: number;
  customers: number;
  revenue: number;
}

/** Days of sales from the first day with any to the last day of the period (by as_of); null without any. */
export interface DailySales {
  days: SalesDay[];
  /** Whether revenue was measured (transactions imported). */
  hasRevenue: boolean;
}

const dayOf = (value: unknown): number => {
  const ms = Date.parse(String(value));
  if (!Number.isFinite(ms)) throw new Error(`expected a day, got ${String(value)}`);
  return Math.floor(ms / DAY_MS) * DAY_MS;
};

/**
 * New customers per day of acquisition and purchase revenue per day, among
 * the customers in scope, in the period. Two GROUP BY day queries: the
 * customers over customer_facts; the revenue over each customer's purchases
 * summed per day on the customer's own shard (perCustomerSubquery), then per
 * day across customers. Days without sales are filled in with zeros, from the
 * first day with any sale to the end of the period: a quiet day is data.
 */
export async function dailySales(ctx: AnalysisContext, values: SqlValues, cohort: CohortSql): Promise<DailySales | null> {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const day = d.dateTrunc('day', cohort.acquired);
  const customerRows = await scopeQuery<{ _day: RowValue; _n: RowValue }>(
    ctx,
    scopeSelect(ctx, { items: [`${day} AS ${q('_day')}`, `count(*) AS ${q('_n')}`], where: cohort.where, groupBy: [day] }),
    values,
  );
  const byDay = new Map<number, SalesDay>();
  const at = (ms: number): SalesDay => {
    let found = byDay.get(ms);
    if (found === undefined) {
      found = { dayMs: ms, customers: 0, revenue: 0 };
      byDay.set(ms, found);
    }
    return found;
  };
  for (const row of customerRows) at(dayOf(row._day)).customers += requiredNumber(row._n, 'customers per day');
  const hasRevenue = hasRows(ctx, 'transactions');
  if (hasRevenue) {
    const tday = d.dateTrunc('day', q('at'));
    const perCustomerDay = perCustomerSubquery(
      ctx,
      'transactions',
      [`${tday} AS ${q('_tday')}`, `sum(${q('amount')}) AS ${q('_tamt')}`],
      [`${q('kind')} = ${values.bind('purchase')}`, ...periodConditions(ctx, values, q('at'))],
      [tday],
    );
    const revenueRows = await scopeQuery<{ _tday: RowValue; _rev: RowValue }>(
      ctx,
      scopeSelect(ctx, {
        items: [q('_tday'), `sum(${q('_tamt')}) AS ${q('_rev')}`],
        join: `INNER JOIN ${perCustomerDay} AS ${q('_ts')} USING (${q('customer_id')})`,
        groupBy: [q('_tday')],
      }),
      values,
    );
    for (const row of revenueRows) at(dayOf(row._tday)).revenue += numberOf(row._rev) ?? 0;
  }
  if (byDay.size === 0) return null;
  const first = Math.min(...byDay.keys());
  const asOfEnd = Date.parse(`${ctx.asOf}T00:00:00Z`) + DAY_MS;
  const end = ctx.period?.end !== undefined && ctx.period.end.getTime() < asOfEnd ? ctx.period.end.getTime() : asOfEnd;
  const days: SalesDay[] = [];
  for (let ms = first; ms < end; ms += DAY_MS) days.push(byDay.get(ms) ?? { dayMs: ms, customers: 0, revenue: 0 });
  return { days, hasRevenue };
}

