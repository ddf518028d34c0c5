import type { Row } from '../../engine/types.js';
import { CUSTOMER_FACTS_TABLE } from '../../facts/index.js';
import { hasRows } from '../needs.js';
import { scopeQuery, scopeSelect } from '../scope-query.js';
import { numberOf, type SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import type { CohortSql } from './cohort-sql.js';
import { DAY_MS } from './fiscal-calendar.js';
import type { QuarterEndSettings } from './settings.js';

/** What one group of customers (acquired in a window, or not) did after, as sums. */
export interface GroupOutcomes {
  customers: number;
  /** Customers whose first purchase was at least refundDays before the end of as_of. */
  refundEligible: number;
  /** Of those, customers with a refund dated within refundDays of their first purchase. */
  refunded: number;
  /** Early refunds' money, summed over the eligible customers, and the sum of its squares per customer. */
  refundMoney: number;
  refundMoneySquares: number;
  /** Latest NPS answer: promoters, passives, detractors. */
  promoters: number;
  passives: number;
  detractors: number;
  /** Latest CSAT: answers, sum, sum of squares. */
  csat: { n: number; sum: number; squares: number };
  /** Revenue + fees − credits − cost of goods, and days observed: the money an active month brings. */
  margin: number;
  exposureDays: number;
}

export interface CohortOutcomes {
  window: GroupOutcomes;
  others: GroupOutcomes;
  /** Which measures the store holds. */
  has: { refunds: boolean; nps: boolean; csat: boolean; margin: boolean };
}

/**
 * One GROUP BY over customer_facts by the window flag: refunds in the
 * first refundDays after the first purchase, the latest NPS and CSAT, the
 * money of an active month. Early refunds are counted per customer where its
 * transactions meet its first purchase (the shard-local part of
 * customer_facts inside the join's subquery: co-located on a cluster), then
 * summed per group.
 */
export async function cohortOutcomes(ctx: AnalysisContext, values: SqlValues, cohort: CohortSql, settings: Pick<QuarterEndSettings, 'refundDays'>): Promise<CohortOutcomes> {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const stored = new Set(ctx.facts.columns.map((c) => c.name));
  const has = {
    refunds: hasRows(ctx, 'transactions') && stored.has('first_purchase_at'),
    nps: stored.has('latest_nps'),
    csat: stored.has('latest_csat'),
    margin: ['revenue', 'fees', 'credits', 'cost_of_goods', 'exposure_days'].every((c) => stored.has(c)),
  };
  const zero = d.toMoney('0');
  const int = (cond: string): string => `sum(CASE WHEN ${cond} THEN 1 ELSE 0 END)`;
  const items = [`${cohort.flag} AS ${q('_w')}`, `count(*) AS ${q('_n')}`];
  let join: string | undefined;
  if (has.refunds) {
    const asOfEnd = Date.parse(`${ctx.asOf}T00:00:00Z`) + DAY_MS;
    const eligible = `${q('first_purchase_at')} IS NOT NULL AND ${q('first_purchase_at')} < ${values.bind(new Date(asOfEnd - settings.refundDays * DAY_MS))}`;
    const firsts = `(SELECT ${q('customer_id')}, ${q('first_purchase_at')} AS ${q('_fp')} FROM ${d.shardLocalTable(CUSTOMER_FACTS_TABLE)} WHERE ${q('first_purchase_at')} IS NOT NULL)`;
    const early =
      `(SELECT ${q('customer_id')}, count(*) AS ${q('_rc')}, sum(${q('amount')}) AS ${q('_ra')} FROM ${d.shardLocalTable('transactions')} ` +
      `INNER JOIN ${firsts} AS ${q('_rf')} USING (${q('customer_id')}) ` +
      `WHERE ${q('kind')} = ${values.bind('refund')} AND ${q('at')} < ${d.addDays(q('_fp'), settings.refundDays)} GROUP BY ${q('customer_id')})`;
    join = `LEFT JOIN ${early} AS ${q('_er')} USING (${q('customer_id')})`;
    const money = `COALESCE(${d.toMoney(q('_ra'))}, ${zero})`;
    items.push(
      `${int(eligible)} AS ${q('_re')}`,
      `${int(`${eligible} AND COALESCE(${q('_rc')}, 0) > 0`)} AS ${q('_rr')}`,
      `sum(CASE WHEN ${eligible} THEN ${money} ELSE ${zero} END) AS ${q('_rm')}`,
      `sum(CASE WHEN ${eligible} THEN ${d.toDouble(money)} * ${d.toDouble(money)} ELSE 0 END) AS ${q('_rq')}`,
    );
  }
  if (has.nps) {
    const nps = q('latest_nps');
    items.push(`${int(`${nps} >= 9`)} AS ${q('_np')}`, `${int(`${nps} >= 7 AND ${nps} < 9`)} AS ${q('_na')}`, `${int(`${nps} < 7`)} AS ${q('_nd')}`);
  }
  if (has.csat) {
    const csat = d.toDouble(q('latest_csat'));
    items.push(`count(${q('latest_csat')}) AS ${q('_cn')}`, `sum(${csat}) AS ${q('_cs')}`, `sum(${csat} * ${csat}) AS ${q('_cq')}`);
  }
  if (has.margin) {
    items.push(
      `sum(${d.toMoney(`${q('revenue')} + ${q('fees')} - ${q('credits')} - ${q('cost_of_goods')}`)}) AS ${q('_mm')}`,
      `sum(${d.toDouble(`COALESCE(${q('exposure_days')}, 0)`)}) AS ${q('_me')}`,
    );
  }
  const rows = await scopeQuery(ctx, scopeSelect(ctx, { items, ...(join === undefined ? {} : { join }), where: cohort.where, groupBy: [cohort.flag] }), values);
  const group = (flag: number): GroupOutcomes => outcomesOf(rows.find((r) => numberOf(r['_w']) === flag));
  return { window: group(1), others: group(0), has };
}

function outcomesOf(row: Row | undefined): GroupOutcomes {
  const n = (key: string): number => numberOf(row?.[key] ?? null) ?? 0;
  return {
    customers: n('_n'),
    refundEligible: n('_re'),
    refunded: n('_rr'),
    refundMoney: n('_rm'),
    refundMoneySquares: n('_rq'),
    promoters: n('_np'),
    passives: n('_na'),
    detractors: n('_nd'),
    csat: { n: n('_cn'), sum: n('_cs'), squares: n('_cq') },
    margin: n('_mm'),
    exposureDays: n('_me'),
  };
}
