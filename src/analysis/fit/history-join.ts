import type { ValueBinder } from '../../facts/value-binder.js';
import { interactionCost } from '../../facts/channel-cost.js';
import { INTERACTION_CHANNELS } from '../../model/tables.js';
import { hasRows } from '../needs.js';
import type { SatisfactionMeasure } from '../perfect-customer/satisfaction.js';
import type { SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import { costContext } from '../value/period-measures.js';
import type { MeasureDate } from './measured.js';
import { signedAmountSql } from '../signed-amount.js';

/** Column names of the per-customer history aggregate. */
export const HJ = { net: '_fj_net', cost: '_fj_cost', scores: '_fj_ss', answers: '_fj_sn', referrals: '_fj_ref', forward: '_fj_fwd' } as const;

type Branch = { net: string; cost: string; scores: string; answers: string; referrals: string; forward: string; id: string; from: string; where: string[] };

/**
 * Each customer's history as of a date, from the event tables: net value and
 * cost to serve dated before it, survey answers of the satisfaction
 * instrument before it, referrals made before it, and the net value dated
 * from it to `forwardEnd` (what the fit is calibrated against). One
 * per-customer aggregate over a UNION ALL (one JOIN per SELECT on
 * ClickHouse 18.16), money in the exact money type.
 *
 * How data moves on a cluster: referrals are keyed by two customers and so
 * spread over the shards at random (clickhouse/layout.ts); a customer's
 * referrals cannot be met on its own shard. So the aggregate reads the
 * Distributed tables and is joined by `globalJoin`: the entry server
 * computes it once and ships it to every shard (one row per customer with
 * events, a few numbers each). It is exact whatever shard holds a row, and
 * only calibration and period runs need it: the score as of as_of reads
 * customer_facts' own columns.
 */
export async function historyJoin(ctx: AnalysisContext, values: SqlValues, binder: ValueBinder, measure: SatisfactionMeasure | null, date: Extract<MeasureDate, { kind: 'date' }>): Promise<string> {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const facts = await costContext(ctx, binder);
  const zeroMoney = d.toMoney('0');
  const zero = d.toDouble('0');
  const at = values.bind(date.at);
  const end = date.forwardEnd === null ? at : values.bind(date.forwardEnd);
  const after = date.historyStart === null ? [] : [values.bind(date.historyStart)];
  const before = (column: string): string => [`${column} < ${at}`, ...after.map((s) => `${column} >= ${s}`)].join(' AND ');
  const inWindow = (column: string): string => `${column} >= ${at} AND ${column} < ${end}`;
  const branches: Branch[] = [];
  const empty = { net: zeroMoney, cost: zeroMoney, scores: zero, answers: zero, referrals: zero, forward: zeroMoney };

  if (hasRows(ctx, 'transactions')) {
    const col = (name: string): string => facts.tables.column('transactions', name);
    const kind = col('kind');
    const signed = `(${signedAmountSql(values, kind, col('amount'), zeroMoney)} - COALESCE(${col('cost')}, ${zeroMoney}))`;
    branches.push({
      ...empty,
      net: `CASE WHEN ${before(col('at'))} THEN ${signed} ELSE ${zeroMoney} END`,
      forward: date.forwardEnd === null ? zeroMoney : `CASE WHEN ${inWindow(col('at'))} THEN ${signed} ELSE ${zeroMoney} END`,
      id: q('customer_id'),
      from: q('transactions'),
      where: [`${col('at')} < ${end}`, ...after.map((s) => `${col('at')} >= ${s}`)],
    });
  }
  if (hasRows(ctx, 'interactions')) {
    const col = (name: string): string => facts.tables.column('interactions', name);
    const channel = col('channel');
    // Costed by the rule customer_facts uses; a channel outside the six takes the default rates.
    const cost = `CASE ${INTERACTION_CHANNELS.map((ch) => `WHEN ${channel} = ${values.bind(ch)} THEN ${interactionCost(facts, ch)}`).join(' ')} ELSE ${interactionCost(facts, 'default')} END`;
    branches.push({
      ...empty,
      net: `CASE WHEN ${before(col('at'))} THEN -(${cost}) ELSE ${zeroMoney} END`,
      cost: `CASE WHEN ${before(col('at'))} THEN ${cost} ELSE ${zeroMoney} END`,
      forward: date.forwardEnd === null ? zeroMoney : `CASE WHEN ${inWindow(col('at'))} THEN -(${cost}) ELSE ${zeroMoney} END`,
      id: q('customer_id'),
      from: q('interactions'),
      where: [`${col('at')} < ${end}`, ...after.map((s) => `${col('at')} >= ${s}`)],
    });
  }
  if (measure !== null && hasRows(ctx, 'survey_responses')) {
    const col = (name: string): string => facts.tables.column('survey_responses', name);
    branches.push({
      ...empty,
      scores: col('score'),
      answers: '1',
      id: q('customer_id'),
      from: q('survey_responses'),
      where: [`${col('instrument')} = ${values.bind(measure.kind)}`, `${col('score')} IS NOT NULL`, before(col('at'))],
    });
  }
  if (hasRows(ctx, 'referrals')) {
    const col = (name: string): string => facts.tables.column('referrals', name);
    branches.push({ ...empty, referrals: '1', id: col('referrer_id'), from: q('referrals'), where: [`${col('referrer_id')} <> ${col('referred_id')}`, before(col('at'))] });
  }
  const id = q('customer_id');
  const u = (key: keyof typeof HJ): string => q(`_fu_${key}`);
  const keys = Object.keys(HJ) as (keyof typeof HJ)[];
  const isMoney = (key: keyof typeof HJ): boolean => key === 'net' || key === 'cost' || key === 'forward';
  // No column may be a constant: ClickHouse 18.16 refuses a UNION ALL column that is constant in every branch
  // once the branches come from several shards ("non constant in source stream but must be constant in result").
  // A zero is written as a CASE on the branch's customer column, which no engine folds away.
  const column = (k: keyof typeof HJ, b: Branch): string => {
    const filler = isMoney(k) ? zeroMoney : zero;
    const expr = b[k] === filler ? `CASE WHEN ${b.id} IS NULL THEN ${filler} ELSE ${filler} END` : `COALESCE(${b[k]}, ${filler})`;
    return isMoney(k) ? d.toMoney(expr) : d.toDouble(expr);
  };
  const selects = branches.map((b) => `SELECT ${b.id} AS ${id}, ${keys.map((k) => `${column(k, b)} AS ${u(k)}`).join(', ')} FROM ${b.from} WHERE ${b.where.join(' AND ')}`);
  if (selects.length === 0) selects.push(`SELECT ${id}, ${keys.map((k) => `${isMoney(k) ? zeroMoney : zero} AS ${u(k)}`).join(', ')} FROM ${q('customers')} WHERE 1 = 0`);
  const sums = keys.map((k) => `sum(${u(k)}) AS ${q(HJ[k])}`);
  return `${d.globalJoin('LEFT')} (SELECT ${id}, ${sums.join(', ')} FROM (${selects.join(' UNION ALL ')}) AS ${q('_fu')} GROUP BY ${id}) AS ${q('_fj')} USING (${id})`;
}
