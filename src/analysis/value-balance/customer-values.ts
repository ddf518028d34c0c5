import { SourceTables } from '../../facts/source-tables.js';
import { hasRows } from '../needs.js';
import type { RowValueDef } from '../row-values.js';
import { periodConditions } from '../period-sql.js';
import type { SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import { customerMeasures } from '../value/measures.js';
import type { DeliveredValue } from './delivered-value.js';
import { signedAmountSql } from '../signed-amount.js';

/** The axes of value delivered, in order: satisfaction (0-100), then usage (events per month). */
export type AxisKey = 'satisfaction' | 'usage';

/**
 * Each in-scope customer's price and value delivered over customer_facts
 * and, where needed, one per-customer join (one JOIN per SELECT on
 * ClickHouse 18.16, so one UNION ALL carries transactions in the period, the
 * survey answers read and the behaviour events). The per-customer values are
 * row values (rowAggregateSelect), computed once per customer however many
 * sums use them: `mraw` (months of exposure), `m` (at least one month), `y`
 * (what the customer paid: revenue + fees − refunds − credits), the axes by
 * their keys, and `f` (1 when the customer is in the fit).
 */
export interface CustomerValues {
  defs: RowValueDef[];
  axes: AxisKey[];
  join?: string;
  /** WHERE: customers counted in a segment, those with exposure (in the period). */
  counted: string;
  /** WHERE: customers in the fit, counted with every axis known. */
  fit: string;
  /** 1 for a customer still active (not churned), else 0; 1 for all when churn is unknown. */
  active: string;
  /** The values every expression here binds. */
  values: SqlValues;
}

/** The scope's customers with the per-customer join, for row-value statements (rowAggregateSelect, rowSums). */
export function joinedContext(ctx: AnalysisContext, cv: CustomerValues): AnalysisContext {
  return cv.join === undefined ? ctx : { ...ctx, scope: { ...ctx.scope, table: `${ctx.scope.table} ${cv.join}` } };
}

/**
 * The SQL of each customer's price, exposure and value delivered.
 *
 * Months: exposure_days / 30.4375 (or the part of the exposure inside the
 * period, as the value analysis counts it), and at least one: a month is
 * billed when it starts, so a customer of ten days has paid for a month, and
 * dividing that by a third of a month would triple their price (and their
 * usage), a spurious link between the two axes.
 */
export async function customerValues(ctx: AnalysisContext, values: SqlValues, delivered: DeliveredValue): Promise<CustomerValues> {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const stored = new Set(ctx.facts.columns.map((column) => column.name));
  // Only its exposure months are used: the value analysis's rule, with or without a period.
  const exposure = await customerMeasures(ctx, values, null);
  const one = d.toDouble('1');
  const num = (x: number): string => d.toDouble(values.bind(x));
  const zeroMoney = d.toMoney('0');
  const tables = await SourceTables.discover(ctx.engine);
  const col = (table: 'transactions' | 'survey_responses' | 'behaviour_events', name: string): string => tables.column(table, name);

  type Branch = { table: 'transactions' | 'survey_responses' | 'behaviour_events'; paid: string; score: string; answers: string; events: string; where: string[] };
  const branches: Branch[] = [];
  const zeroScore = d.toDouble('0');
  if (ctx.period !== null && hasRows(ctx, 'transactions')) {
    const signed = signedAmountSql(values, col('transactions', 'kind'), col('transactions', 'amount'), zeroMoney);
    branches.push({ table: 'transactions', paid: signed, score: zeroScore, answers: '0', events: '0', where: periodConditions(ctx, values, col('transactions', 'at')) });
  }
  const axis = delivered.satisfaction;
  if (axis !== null) {
    const score = col('survey_responses', 'score');
    const scaled = `(${d.toDouble(score)} - ${num(axis.scale.bottom)}) * ${num(100 / (axis.scale.top - axis.scale.bottom))}`;
    const area = col('survey_responses', 'area');
    const which =
      axis.source === 'value_area'
        ? [`${area} IN (${axis.areas.map((a) => values.bind(a)).join(', ')})`, `${col('survey_responses', 'instrument')} IN (${axis.instruments.map((i) => values.bind(i)).join(', ')})`]
        : [`${col('survey_responses', 'instrument')} = ${values.bind(axis.source)}`, `${area} IS NULL`];
    branches.push({ table: 'survey_responses', paid: zeroMoney, score: d.toDouble(scaled), answers: '1', events: '0', where: [...which, `${score} IS NOT NULL`, ...periodConditions(ctx, values, col('survey_responses', 'at'))] });
  }
  if (delivered.usage) {
    branches.push({ table: 'behaviour_events', paid: zeroMoney, score: zeroScore, answers: '0', events: '1', where: periodConditions(ctx, values, col('behaviour_events', 'at')) });
  }

  const id = q('customer_id');
  const c = (name: string): string => q(`_vbc_${name}`);
  const joined = (name: string): string => q(`_vb${name}`);
  let join: string | undefined;
  if (branches.length > 0) {
    const selects = branches.map(
      (b) =>
        `SELECT ${id}, ${d.toMoney(`COALESCE(${b.paid}, ${zeroMoney})`)} AS ${c('p')}, ${b.score} AS ${c('s')}, ${b.answers} AS ${c('a')}, ${b.events} AS ${c('e')} ` +
        `FROM ${d.shardLocalTable(b.table)} WHERE ${b.where.join(' AND ')}`,
    );
    const sums = ['p', 's', 'a', 'e'].map((k) => `sum(${c(k)}) AS ${joined(k)}`);
    join = `LEFT JOIN (SELECT ${id}, ${sums.join(', ')} FROM (${selects.join(' UNION ALL ')}) AS ${q('_vbu')} GROUP BY ${id}) AS ${q('_vb')} USING (${id})`;
  }

  const price =
    ctx.period === null
      ? d.toDouble(`${q('revenue')} + ${q('fees')} - ${q('refunds')} - ${q('credits')}`)
      : d.toDouble(`COALESCE(${joined('p')}, ${zeroMoney})`);
  // The customer's mean answer, by as_of or in the period: a mean of several answers is less noisy than the latest alone.
  const satisfaction = `(CASE WHEN COALESCE(${joined('a')}, 0) > 0 THEN ${d.toDouble(joined('s'))} / ${d.toDouble(joined('a'))} ELSE NULL END)`;
  const axes: AxisKey[] = [...(axis === null ? [] : (['satisfaction'] as const)), ...(delivered.usage ? (['usage'] as const) : [])];
  const isCounted = (raw: string): string => (ctx.period === null ? `${raw} IS NOT NULL` : `${raw} > ${d.toDouble('0')}`);
  const defs: RowValueDef[] = [
    { name: 'mraw', sql: () => exposure.months },
    { name: 'm', sql: (ref) => `(CASE WHEN ${ref('mraw')} < ${one} THEN ${one} ELSE ${ref('mraw')} END)` },
    { name: 'y', sql: () => price },
    ...(axis === null ? [] : [{ name: 'satisfaction', sql: () => satisfaction }]),
    ...(delivered.usage ? [{ name: 'usage', sql: (ref: (n: string) => string) => `${d.toDouble(`COALESCE(${joined('e')}, 0)`)} / ${ref('m')}` }] : []),
    { name: 'f', sql: (ref) => `(CASE WHEN ${[isCounted(ref('mraw')), ...(axis === null ? [] : [`${ref('satisfaction')} IS NOT NULL`])].join(' AND ')} THEN 1 ELSE 0 END)` },
  ];
  const counted = isCounted(exposure.months);
  const fit = [counted, ...(axis === null ? [] : [`${satisfaction} IS NOT NULL`])].join(' AND ');
  const active = stored.has('churned') ? `(CASE WHEN ${d.boolToInt(q('churned'))} = 1 THEN 0 ELSE 1 END)` : '1';
  return { defs, axes, ...(join === undefined ? {} : { join }), counted, fit: `(${fit})`, active, values };
}
