import { CUSTOMER_FACTS_TABLE } from '../../facts/index.js';
import { SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import { dayAfter, startOfDay, type LifetimeSettings } from './settings.js';

/**
 * Each customer's purchase history as of the end of calibration, in whole
 * days, as SQL: the Fader-Hardie x (repeat purchase days), tₓ (days from the
 * first to the last purchase day) and T (days from the first purchase day to
 * the end of calibration), the holdout purchase days after it, and the spend
 * of the repeat purchase days (every purchase day but the first) for
 * Gamma-Gamma. Same-day purchases are one purchase, as in customer_facts.
 *
 * The columns come from one per-customer aggregate over transactions
 * (`join`, for scopeSelect), named `_hx`, `_htx`, `_hT`, `_hd`, `_rs`.
 * It meets the customer's first purchase (customer_facts.first_purchase_at,
 * the first by as_of, which is the first of calibration for every customer
 * who bought by then) inside the subquery, on the shard's own part of
 * customer_facts: co-located on a cluster, as perCustomerJoin explains.
 */
export interface HistorySql {
  /** Right side of a LEFT JOIN ... USING (customer_id), parenthesised, one row per customer with a purchase by as_of. */
  subquery: string;
  /** `LEFT JOIN <subquery> AS _h USING (customer_id)`. */
  join: string;
  x: string;
  tx: string;
  T: string;
  /** Holdout purchase days (0 without a holdout). */
  holdout: string;
  /** Money spent on repeat purchase days in calibration. */
  repeatSpend: string;
  /** The customer bought by the end of calibration, before its last day (T ≥ 1 day). */
  eligible: string;
  values: SqlValues;
}

/** Column names of the per-customer histories (also inside nested subqueries). */
export const H = { x: '_hx', tx: '_htx', T: '_hT', holdout: '_hd', repeatSpend: '_rs' } as const;

export function historySql(ctx: Pick<AnalysisContext, 'engine' | 'asOf'>, settings: Pick<LifetimeSettings, 'calibrationEnd' | 'holdout'>): HistorySql {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const values = new SqlValues(ctx.engine, 'lh');
  const at = q('at');
  const first = q('_fp');
  const calibrationNext = values.bind(dayAfter(settings.calibrationEnd));
  const calibrationStart = values.bind(startOfDay(settings.calibrationEnd));
  const asOfNext = values.bind(dayAfter(ctx.asOf));
  const day = d.dateTrunc('day', at);
  const inCalibration = `${at} < ${calibrationNext}`;
  const firstDayNext = d.addDays(d.dateTrunc('day', first), 1);
  const aggregates = [
    `${d.countDistinct(`CASE WHEN ${inCalibration} THEN ${day} ELSE NULL END`)} AS ${q('_cd')}`,
    `max(CASE WHEN ${inCalibration} THEN ${at} ELSE NULL END) AS ${q('_cl')}`,
    settings.holdout ? `${d.countDistinct(`CASE WHEN ${at} >= ${calibrationNext} THEN ${day} ELSE NULL END`)} AS ${q('_ch')}` : `0 AS ${q('_ch')}`,
    `sum(CASE WHEN ${at} >= ${firstDayNext} AND ${inCalibration} THEN ${q('amount')} ELSE NULL END) AS ${q('_cs')}`,
  ];
  const facts = `(SELECT ${q('customer_id')}, ${q('first_purchase_at')} AS ${first} FROM ${d.shardLocalTable(CUSTOMER_FACTS_TABLE)})`;
  const perCustomer =
    `SELECT ${q('customer_id')}, ${first}, ${aggregates.join(', ')} ` +
    `FROM ${d.shardLocalTable('transactions')} INNER JOIN ${facts} AS ${q('_f')} USING (${q('customer_id')}) ` +
    `WHERE ${q('kind')} = ${values.bind('purchase')} AND ${at} < ${asOfNext} ` +
    `GROUP BY ${q('customer_id')}, ${first}`;
  const firstDay = d.dateTrunc('day', first);
  const int64 = (expr: string): string => `CAST(${expr} AS ${d.columnType('int64', true)})`;
  const columns = [
    q('customer_id'),
    `${int64(`${q('_cd')} - 1`)} AS ${q(H.x)}`,
    `${int64(d.dateDiff('day', firstDay, d.dateTrunc('day', q('_cl'))))} AS ${q(H.tx)}`,
    `${int64(d.dateDiff('day', firstDay, calibrationStart))} AS ${q(H.T)}`,
    `${int64(q('_ch'))} AS ${q(H.holdout)}`,
    `${q('_cs')} AS ${q(H.repeatSpend)}`,
  ];
  const subquery = `(SELECT ${columns.join(', ')} FROM (${perCustomer}) AS ${q('_hc')})`;
  return {
    subquery,
    join: `LEFT JOIN ${subquery} AS ${q('_h')} USING (${q('customer_id')})`,
    x: q(H.x),
    tx: q(H.tx),
    T: q(H.T),
    holdout: q(H.holdout),
    repeatSpend: q(H.repeatSpend),
    // _cd ≥ 1 (a purchase in calibration) and a first purchase day before the last day of calibration.
    eligible: `${q(H.x)} >= 0 AND ${q(H.T)} >= 1`,
    values,
  };
}

/**
 * Without a holdout the histories are customer_facts' own columns
 * (frequency, recency_days, age_days, counted to as_of the same way), read
 * without a join. Spend still needs the per-customer aggregate.
 */
export function factsHistoryColumns(ctx: Pick<AnalysisContext, 'engine'>): { x: string; tx: string; T: string; eligible: string } {
  const q = ctx.engine.dialect.quoteIdent;
  return { x: q('frequency'), tx: q('recency_days'), T: q('age_days'), eligible: `${q('frequency')} IS NOT NULL AND ${q('age_days')} >= 1` };
}
