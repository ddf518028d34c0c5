import type { FactsPart, FactsSqlContext } from './facts-part.js';
import { out } from './facts-part.js';

export const ST = {
  latestAt: '_s_latest_at',
  latestChurned: '_s_latest_churned',
  reactivations: '_s_reactivations',
} as const;

/**
 * The status at as_of and the returns after churn, without window functions:
 * each change is joined to its customer's latest instant and first churn.
 * `_s_latest_churned` is 1 only when every change at the latest instant is a
 * churn, so a churn and a return recorded together read as active.
 */
export function statusPart(ctx: FactsSqlContext): FactsPart {
  const outputs = [out(ST.latestAt, 'timestamp'), out(ST.latestChurned, 'int32'), out(ST.reactivations, 'int64')];
  if (!ctx.tables.has('status_changes')) return { table: 'status_changes', outputs, sql: null };

  const { d, values } = ctx;
  const q = (name: string): string => d.quoteIdent(name);
  const isStatus = (status: string): string => `${q('status')} = ${values.bind(status)}`;
  const dated = `${q('at')} < ${ctx.asOfEnd}`;
  const changes = `SELECT ${q('customer_id')}, ${q('at')}, ${q('status')} FROM ${ctx.source('status_changes')} WHERE ${dated}`;
  const perCustomer =
    `SELECT ${q('customer_id')}, max(${q('at')}) AS ${q('_latest_at')}, ` +
    `min(CASE WHEN ${isStatus('churned')} THEN ${q('at')} ELSE NULL END) AS ${q('_first_churn_at')} ` +
    `FROM ${ctx.source('status_changes')} WHERE ${dated} GROUP BY ${q('customer_id')}`;
  const select = [
    q('customer_id'),
    `max(${q('_latest_at')}) AS ${q(ST.latestAt)}`,
    `min(CASE WHEN ${q('at')} = ${q('_latest_at')} THEN (CASE WHEN ${isStatus('churned')} THEN 1 ELSE 0 END) ELSE NULL END) AS ${q(ST.latestChurned)}`,
    `sum(CASE WHEN ${isStatus('reactivated')} THEN 1 WHEN ${isStatus('active')} AND ${q('at')} > ${q('_first_churn_at')} THEN 1 ELSE 0 END) AS ${q(ST.reactivations)}`,
  ];
  const sql =
    `SELECT ${select.join(', ')} FROM (${changes}) AS ${q('_changes')} ` +
    `JOIN (${perCustomer}) AS ${q('_per_customer')} USING (${q('customer_id')}) GROUP BY ${q('customer_id')}`;
  return { table: 'status_changes', outputs, sql };
}
