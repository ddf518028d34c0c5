import { interactionCost } from '../../facts/channel-cost.js';
import type { FactsSqlContext } from '../../facts/facts-part.js';
import { planFactsLayout } from '../../facts/layout.js';
import { SourceTables } from '../../facts/source-tables.js';
import { ValueBinder } from '../../facts/value-binder.js';
import { INTERACTION_CHANNELS } from '../../model/tables.js';
import { hasRows } from '../needs.js';
import { DAYS_PER_MONTH } from '../perfect-customer/behaviours.js';
import type { SatisfactionMeasure } from '../perfect-customer/satisfaction.js';
import { periodConditions } from '../period-sql.js';
import type { SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import type { CustomerMeasures } from './measures.js';
import { CHANNEL_PARTS, VALUE_PARTS, type PartKey } from './parts.js';

/** Seconds since 1970 of the first instant after as_of. */
function asOfEndSeconds(ctx: AnalysisContext): number {
  return Date.parse(`${ctx.asOf}T00:00:00Z`) / 1000 + 86_400;
}

/**
 * Months of each customer's exposure inside the period: from signup (else
 * the first purchase) to churn (else the end of as_of), cut to the period;
 * at least a day when it overlaps at all, as exposure_days; 0 when it does
 * not overlap; NULL without a start date.
 */
function monthsInPeriod(ctx: AnalysisContext, values: SqlValues): string {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const stored = new Set(ctx.facts.columns.map((c) => c.name));
  const starts = ['signup_at', 'first_purchase_at'].filter((c) => stored.has(c)).map(q);
  const start = starts.length === 0 ? null : starts.length === 1 ? (starts[0] as string) : `COALESCE(${starts.join(', ')})`;
  if (start === null) return `CAST(NULL AS ${d.columnType('double', true)})`;
  const asOfEnd = asOfEndSeconds(ctx);
  const periodEnd = ctx.period?.end === undefined ? asOfEnd : Math.min(asOfEnd, ctx.period.end.getTime() / 1000);
  const s = d.epochSeconds(start);
  const asOfEndSql = d.toDouble(values.bind(asOfEnd));
  const e =
    stored.has('churned') && stored.has('churned_at')
      ? `(CASE WHEN ${d.boolToInt(q('churned'))} = 1 AND ${q('churned_at')} IS NOT NULL THEN ${d.epochSeconds(q('churned_at'))} ELSE ${asOfEndSql} END)`
      : asOfEndSql;
  const from = ctx.period?.start === undefined ? s : `(CASE WHEN ${s} > ${values.bind(ctx.period.start.getTime() / 1000)} THEN ${s} ELSE ${d.toDouble(values.bind(ctx.period.start.getTime() / 1000))} END)`;
  const to = `(CASE WHEN ${e} < ${values.bind(periodEnd)} THEN ${e} ELSE ${d.toDouble(values.bind(periodEnd))} END)`;
  const overlap = `(${to} - ${from})`;
  return d.toDouble(
    `(CASE WHEN ${start} IS NULL THEN NULL WHEN ${overlap} <= 0 THEN ${d.toDouble('0')} WHEN ${overlap} < 86400 THEN ${d.toDouble(String(1 / DAYS_PER_MONTH))} ` +
      `ELSE ${overlap} / ${d.toDouble(String(86_400 * DAYS_PER_MONTH))} END)`,
  );
}

/** The facts SQL context the interaction cost rule needs (facts/channel-cost.ts), over this store (also used by fit). */
export async function costContext(ctx: AnalysisContext, binder: ValueBinder): Promise<FactsSqlContext> {
  const d = ctx.engine.dialect;
  const tables = await SourceTables.discover(ctx.engine);
  return {
    d,
    values: binder,
    tables,
    config: ctx.config,
    layout: planFactsLayout(ctx.config, tables.attributes()),
    source: (table) => d.shardLocalTable(table),
    asOfStart: binder.bind(new Date(Date.parse(`${ctx.asOf}T00:00:00Z`))),
    asOfEnd: binder.bind(new Date(asOfEndSeconds(ctx) * 1000)),
  };
}

/**
 * One per-customer aggregate over the events dated in the period, as a
 * UNION ALL of transactions, interactions and survey answers (one JOIN per
 * SELECT on ClickHouse 18.16, so one join carries all three). Each branch
 * reads its shard's own rows: co-located, as perCustomerJoin explains.
 */
export async function periodMeasures(ctx: AnalysisContext, values: SqlValues, measure: SatisfactionMeasure | null): Promise<CustomerMeasures> {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const binder = new ValueBinder(ctx.engine);
  const facts = await costContext(ctx, binder);
  const zero = d.toMoney('0');
  const money = (expr: string): string => d.toMoney(`COALESCE(${expr}, ${zero})`);
  const moneyKeys = [...VALUE_PARTS.map((p) => p.key as string), ...CHANNEL_PARTS.map((c) => c.key)];
  const u = (key: string): string => q(`_u_${key}`);
  type Branch = { money: Record<string, string>; events: string; score: string; answers: string; from: string; where: string[] };
  const branches: Branch[] = [];
  if (hasRows(ctx, 'transactions')) {
    const col = (name: string): string => facts.tables.column('transactions', name);
    const kind = (k: string): string => `CASE WHEN ${col('kind')} = ${values.bind(k)} THEN ${col('amount')} ELSE ${zero} END`;
    branches.push({
      money: { revenue: kind('purchase'), fees: kind('fee'), refunds: kind('refund'), credits: kind('credit'), cost_of_goods: col('cost') },
      events: '1',
      score: d.toDouble('0'),
      answers: '0',
      from: d.shardLocalTable('transactions'),
      where: periodConditions(ctx, values, col('at')),
    });
  }
  if (hasRows(ctx, 'interactions')) {
    const col = (name: string): string => facts.tables.column('interactions', name);
    const isChannel = (i: number): string => `${col('channel')} = ${values.bind(INTERACTION_CHANNELS[i] ?? 'other')}`;
    // A channel outside the six is costed with the default rates, as customer_facts does.
    const any = `CASE ${INTERACTION_CHANNELS.map((ch, i) => `WHEN ${isChannel(i)} THEN ${interactionCost(facts, ch)}`).join(' ')} ELSE ${interactionCost(facts, 'default')} END`;
    const perChannel = Object.fromEntries(CHANNEL_PARTS.map((c, i) => [c.key, `CASE WHEN ${isChannel(i)} THEN ${interactionCost(facts, c.channel)} ELSE ${zero} END`]));
    branches.push({ money: { cost_to_serve: any, ...perChannel }, events: '1', score: d.toDouble('0'), answers: '0', from: d.shardLocalTable('interactions'), where: periodConditions(ctx, values, col('at')) });
  }
  if (measure !== null && hasRows(ctx, 'survey_responses')) {
    const col = (name: string): string => facts.tables.column('survey_responses', name);
    const score = col('score');
    const scored = measure.kind === 'nps' ? `(CASE WHEN ${score} >= 9 THEN 100 WHEN ${score} >= 7 THEN 0 ELSE -100 END)` : score;
    branches.push({
      money: {},
      events: '0',
      score: d.toDouble(scored),
      answers: '1',
      from: d.shardLocalTable('survey_responses'),
      where: [`${col('instrument')} = ${values.bind(measure.kind)}`, `${score} IS NOT NULL`, ...periodConditions(ctx, values, col('at'))],
    });
  }
  const months = monthsInPeriod(ctx, values);
  const p = (key: string): string => q(`_p_${key}`);
  const base: Omit<CustomerMeasures, 'parts' | 'channels' | 'net' | 'gross' | 'satisfaction'> = {
    months,
    exposed: `${months} > 0`,
    where: [],
    params: binder.params,
    values,
    period: true,
  };
  const zeroParts = {
    parts: Object.fromEntries(VALUE_PARTS.map((part) => [part.key, zero])) as Record<PartKey, string>,
    channels: Object.fromEntries(CHANNEL_PARTS.map((c) => [c.key, zero])),
  };
  if (branches.length === 0) {
    return { ...base, ...zeroParts, net: zero, gross: zero, satisfaction: null, where: [`${months} > 0`] };
  }
  const id = q('customer_id');
  const selects = branches.map(
    (b) =>
      `SELECT ${id}, ${moneyKeys.map((k) => `${money(b.money[k] ?? zero)} AS ${u(k)}`).join(', ')}, ${b.events} AS ${u('events')}, ${b.score} AS ${u('score')}, ${b.answers} AS ${u('answers')} ` +
      `FROM ${b.from} WHERE ${b.where.join(' AND ')}`,
  );
  const sums = [...moneyKeys, 'events', 'score', 'answers'].map((k) => `sum(${u(k)}) AS ${p(k)}`);
  const join = `LEFT JOIN (SELECT ${id}, ${sums.join(', ')} FROM (${selects.join(' UNION ALL ')}) AS ${q('_u')} GROUP BY ${id}) AS ${q('_p')} USING (${id})`;
  const part = (key: string): string => money(p(key));
  const parts = Object.fromEntries(VALUE_PARTS.map((v) => [v.key, part(v.key)])) as Record<PartKey, string>;
  const net = d.toMoney(`${zero} ${VALUE_PARTS.map((v) => `${v.sign < 0 ? '-' : '+'} ${parts[v.key]}`).join(' ')}`);
  return {
    ...base,
    parts,
    channels: Object.fromEntries(CHANNEL_PARTS.map((c) => [c.key, part(c.key)])),
    net,
    gross: d.toMoney(`${parts.revenue} + ${parts.fees}`),
    satisfaction: measure === null ? null : { score: `COALESCE(${p('score')}, ${d.toDouble('0')})`, answers: `COALESCE(${p('answers')}, 0)` },
    join,
    where: [`(${months} > 0 OR COALESCE(${p('events')}, 0) > 0)`],
  };
}
