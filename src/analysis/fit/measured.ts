import type { Row, SqlParams } from '../../engine/types.js';
import { ValueBinder } from '../../facts/value-binder.js';
import { DAYS_PER_MONTH } from '../perfect-customer/behaviours.js';
import type { SatisfactionMeasure } from '../perfect-customer/satisfaction.js';
import { SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import { historyJoin, HJ } from './history-join.js';
import type { ComponentKey } from './settings.js';

/** When components are measured: now (customer_facts as of as_of), or at a date from the event tables. */
export type MeasureDate =
  | { kind: 'now' }
  | {
      kind: 'date';
      /** Components count events before this instant. */
      at: Date;
      /** Events before this instant do not count (the period's start); null: all history. */
      historyStart: Date | null;
      /** Forward net value: events from `at` to before this instant; null: none asked. */
      forwardEnd: Date | null;
    };

/**
 * The components of every customer in scope as SQL, as of one date, for
 * scopeSelect (`join` when they come from the event tables). Each component
 * is a DOUBLE, NULL where it is not measured for the customer (a customer
 * who never answered a survey); `where` keeps the customers who had started
 * by the date (and whose exposure overlaps the history counted).
 */
export interface Measured {
  date: MeasureDate;
  join: string | null;
  where: string[];
  x: Record<ComponentKey, string>;
  /** Months of exposure the per-month components divide by (at least one). */
  months: string;
  /** Net value per month of exposure, churned or not (what the customer paid while a customer; DOUBLE). */
  valuePerMonth: string;
  /** Net value from the date to forwardEnd (exact money); null when not asked. */
  forward: string | null;
  values: SqlValues;
  /** Parameters of the join's interaction cost rates. */
  params: SqlParams;
}

/** Runs a query over measured components with the scope's and the components' parameters. */
export function measuredQuery(ctx: Pick<AnalysisContext, 'engine' | 'scope' | 'signal'>, m: Pick<Measured, 'values' | 'params'>, sql: string, ...more: SqlValues[]): Promise<Row[]> {
  const params = Object.assign({}, ctx.scope.params, m.params, m.values.params, ...more.map((v) => v.params)) as SqlParams;
  return ctx.engine.query(sql, params, ctx.signal === undefined ? {} : { signal: ctx.signal });
}

/** The customer's start: signup, else the first purchase (as customer_facts' exposure). */
function startColumn(ctx: AnalysisContext): string | null {
  const q = ctx.engine.dialect.quoteIdent;
  const stored = new Set(ctx.facts.columns.map((c) => c.name));
  const starts = ['signup_at', 'first_purchase_at'].filter((c) => stored.has(c)).map(q);
  if (starts.length === 0) return null;
  return starts.length === 1 ? (starts[0] as string) : `COALESCE(${starts.join(', ')})`;
}

/** customer_facts' own columns as of as_of: no join. */
function measuredNow(ctx: AnalysisContext, measure: SatisfactionMeasure | null, values: SqlValues): Measured {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const stored = new Set(ctx.facts.columns.map((c) => c.name));
  const months = `greatest(${d.toDouble(q('exposure_days'))} / ${DAYS_PER_MONTH}, ${d.toDouble('1')})`;
  const nullDouble = `CAST(NULL AS ${d.columnType('double', true)})`;
  const satisfactionColumn = measure?.kind === 'csat' ? 'mean_csat' : 'mean_nps';
  return {
    date: { kind: 'now' },
    join: null,
    where: [`${q('exposure_days')} IS NOT NULL`],
    x: {
      value: stored.has('churned')
        ? `(CASE WHEN ${d.boolToInt(q('churned'))} = 1 THEN ${d.toDouble('0')} ELSE ${d.toDouble(q('net_value'))} / ${months} END)`
        : `(${d.toDouble(q('net_value'))} / ${months})`,
      satisfaction: measure !== null && stored.has(satisfactionColumn) ? d.toDouble(q(satisfactionColumn)) : nullDouble,
      cost_to_serve: stored.has('cost_to_serve') ? `(${d.toDouble(q('cost_to_serve'))} / ${months})` : nullDouble,
      retention: stored.has('churned') ? d.toDouble(`(CASE WHEN ${d.boolToInt(q('churned'))} = 1 THEN 0 ELSE 1 END)`) : nullDouble,
      referrals: stored.has('referrals_made') ? `(${d.toDouble(q('referrals_made'))} * 12 / ${months})` : nullDouble,
    },
    months,
    valuePerMonth: `(${d.toDouble(q('net_value'))} / ${months})`,
    forward: null,
    values,
    params: {},
  };
}

/**
 * The components at a date from the event tables (history-join.ts), with
 * exposure from the start (or the history's start) to churn before the date,
 * else the date.
 */
async function measuredAtDate(ctx: AnalysisContext, measure: SatisfactionMeasure | null, values: SqlValues, date: Extract<MeasureDate, { kind: 'date' }>): Promise<Measured> {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const stored = new Set(ctx.facts.columns.map((c) => c.name));
  const binder = new ValueBinder(ctx.engine);
  const join = await historyJoin(ctx, values, binder, measure, date);
  const start = startColumn(ctx);
  const seconds = (at: Date): string => d.toDouble(values.bind(at.getTime() / 1000));
  const churnKnown = stored.has('churned') && stored.has('churned_at');
  const churnedBy = churnKnown ? `(${d.boolToInt(q('churned'))} = 1 AND ${q('churned_at')} IS NOT NULL AND ${q('churned_at')} < ${values.bind(date.at)})` : null;
  const nullDouble = `CAST(NULL AS ${d.columnType('double', true)})`;
  if (start === null) {
    return { date, join, where: ['1 = 0'], x: { value: nullDouble, satisfaction: nullDouble, cost_to_serve: nullDouble, retention: nullDouble, referrals: nullDouble }, months: d.toDouble('1'), valuePerMonth: nullDouble, forward: null, values, params: binder.params };
  }
  const s = d.epochSeconds(start);
  const from = date.historyStart === null ? s : `(CASE WHEN ${s} > ${seconds(date.historyStart)} THEN ${s} ELSE ${seconds(date.historyStart)} END)`;
  const to = churnedBy === null ? seconds(date.at) : `(CASE WHEN ${churnedBy} THEN ${d.epochSeconds(q('churned_at'))} ELSE ${seconds(date.at)} END)`;
  const months = `greatest((${to} - ${from}) / ${d.toDouble(String(86_400 * DAYS_PER_MONTH))}, ${d.toDouble('1')})`;
  const col = (name: string): string => q(HJ[name as keyof typeof HJ]);
  const money = (name: string): string => d.toDouble(`COALESCE(${col(name)}, ${d.toMoney('0')})`);
  const number = (name: string): string => `COALESCE(${col(name)}, ${d.toDouble('0')})`;
  return {
    date,
    join,
    where: [`${start} IS NOT NULL`, `${start} < ${values.bind(date.at)}`, `${to} > ${from}`],
    x: {
      value: churnedBy === null ? `(${money('net')} / ${months})` : `(CASE WHEN ${churnedBy} THEN ${d.toDouble('0')} ELSE ${money('net')} / ${months} END)`,
      satisfaction: measure === null ? nullDouble : `(CASE WHEN ${number('answers')} > 0 THEN ${number('scores')} / ${number('answers')} ELSE ${nullDouble} END)`,
      cost_to_serve: `(${money('cost')} / ${months})`,
      retention: churnedBy === null ? nullDouble : d.toDouble(`(CASE WHEN ${churnedBy} THEN 0 ELSE 1 END)`),
      referrals: `(${number('referrals')} * 12 / ${months})`,
    },
    months,
    valuePerMonth: `(${money('net')} / ${months})`,
    forward: date.forwardEnd === null ? null : `COALESCE(${col('forward')}, ${d.toMoney('0')})`,
    values,
    params: binder.params,
  };
}

/** The components of every customer in scope at `date` (see Measured). */
export async function measuredAt(ctx: AnalysisContext, measure: SatisfactionMeasure | null, date: MeasureDate, prefix = 'fm'): Promise<Measured> {
  const values = new SqlValues(ctx.engine, prefix);
  return date.kind === 'now' ? measuredNow(ctx, measure, values) : measuredAtDate(ctx, measure, values, date);
}
