import { CUSTOMER_FACTS_TABLE } from '../../facts/index.js';
import type { SourceTables } from '../../facts/source-tables.js';
import type { RowValue } from '../../engine/types.js';
import { scopeQuery, scopeSelect } from '../scope-query.js';
import { numberOf, type SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import type { RiskSet, RoleSums } from './aftermath-math.js';

/** Weeks start on Mondays, UTC: 1970-01-05 is the first Monday after the epoch. */
export const WEEK_ORIGIN_SECONDS = 345_600;
export const WEEK_SECONDS = 604_800;
export const WINDOW_DAYS = 90;
const DAY_SECONDS = 86_400;
const WINDOW_SECONDS = WINDOW_DAYS * DAY_SECONDS;

/** Tenure bands at the end of the fee's week, in days: [0, 90), [90, 182), [182, 365), [365, 730), 730 and more. */
export const TENURE_BANDS: readonly [label: string, upToDays: number][] = [
  ['0-3 months', 90],
  ['3-6 months', 182],
  ['6-12 months', 365],
  ['12-24 months', 730],
  ['24 months and more', Number.POSITIVE_INFINITY],
];

/** What the risk-set query needs besides the context. */
export interface RiskSetPlan {
  tables: SourceTables;
  /** The fee line: a category of fee transactions (null: fees without one). */
  category: string | null;
  /** Weeks whose fee-takers are compared: first and last week number (weeks since WEEK_ORIGIN_SECONDS). */
  weeks: { first: number; last: number };
  /** The segment's SQL over customer_facts, or null to match on tenure and value only. */
  segment: string | null;
  /** Tertile cut points of first-90-day purchases (value bands); null when unknown. */
  valueCuts: [number, number] | null;
  /** The survey instrument of the satisfaction outcome, or null. */
  instrument: 'nps' | 'csat' | null;
}

/** Entry (signup, else first purchase) and churn instants of a customer_facts row, as epoch seconds. */
function customerTimes(ctx: AnalysisContext): { entry: string; churn: string } {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const stored = new Set(ctx.facts.columns.map((c) => c.name));
  const starts = ['signup_at', 'first_purchase_at'].filter((c) => stored.has(c)).map(q);
  const double = d.columnType('double', true);
  const entry = starts.length === 0 ? `CAST(NULL AS ${double})` : d.epochSeconds(starts.length === 1 ? (starts[0] as string) : `COALESCE(${starts.join(', ')})`);
  const churn =
    stored.has('churned') && stored.has('churned_at')
      ? `(CASE WHEN ${d.boolToInt(q('churned'))} = 1 AND ${q('churned_at')} IS NOT NULL THEN ${d.epochSeconds(q('churned_at'))} ELSE CAST(NULL AS ${double}) END)`
      : `CAST(NULL AS ${double})`;
  return { entry, churn };
}

/**
 * Per customer, from the shard's own rows (co-located, as perCustomerJoin
 * explains): entry and churn instants, the first fee of the line (epoch
 * seconds, NULL without one) and what the customer bought in their first 90
 * days (the value band's measure).
 */
function customerRows(ctx: AnalysisContext, values: SqlValues, plan: Pick<RiskSetPlan, 'tables' | 'category'>): string {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const id = q('customer_id');
  const tx = (name: string): string => plan.tables.column('transactions', name);
  const facts = d.shardLocalTable(CUSTOMER_FACTS_TABLE);
  const { entry, churn } = customerTimes(ctx);
  const asOfEnd = Date.parse(`${ctx.asOf}T00:00:00Z`) / 1000 + DAY_SECONDS;
  const at = d.epochSeconds(tx('at'));
  const line = plan.category === null ? `${tx('category')} IS NULL` : `${tx('category')} = ${values.bind(plan.category)}`;
  const payments =
    `SELECT ${id}, min(CASE WHEN ${tx('kind')} = ${values.bind('fee')} AND ${line} THEN ${at} ELSE NULL END) AS ${q('_fa_fee')}, ` +
    `sum(CASE WHEN ${tx('kind')} = ${values.bind('purchase')} AND ${at} < ${q('_fa_start')} + ${WINDOW_SECONDS} THEN ${d.toDouble(tx('amount'))} ELSE ${d.toDouble('0')} END) AS ${q('_fa_early')} ` +
    `FROM ${d.shardLocalTable('transactions')} JOIN (SELECT ${id}, ${entry} AS ${q('_fa_start')} FROM ${facts}) AS ${q('_fa_s')} USING (${id}) ` +
    `WHERE ${at} < ${values.bind(asOfEnd)} GROUP BY ${id}`;
  return (
    `SELECT ${id}, ${entry} AS ${q('_fa_entry')}, ${churn} AS ${q('_fa_churn')}, ${q('_fa_fee')}, COALESCE(${q('_fa_early')}, ${d.toDouble('0')}) AS ${q('_fa_value_measure')} ` +
    `FROM ${facts} LEFT JOIN (${payments}) AS ${q('_fa_p')} USING (${id})`
  );
}

/**
 * Every (customer, week) where the customer is in the week's risk set: signed
 * up before the week ends, not churned by then, and without a fee of the line
 * before the week starts. Those first charged in the week are its treated;
 * the others, still without the fee when the week ends, its controls. The
 * week is a grace period: both roles must be active at its end, and churn and
 * answers count over the 90 days from there, so nothing that decides a
 * customer's role or stratum comes after that instant.
 */
function customerWeeks(ctx: AnalysisContext, values: SqlValues, plan: RiskSetPlan): string {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const id = q('customer_id');
  const k = q('_fa_k');
  const weekStart = `(${d.toDouble(k)} * ${WEEK_SECONDS} + ${WEEK_ORIGIN_SECONDS})`;
  const weekEnd = `(${weekStart} + ${WEEK_SECONDS})`;
  const [entry, churn, fee, value] = ['_fa_entry', '_fa_churn', '_fa_fee', '_fa_value_measure'].map(q) as [string, string, string, string];
  const tenureDays = `((${weekEnd} - ${entry}) / ${DAY_SECONDS})`;
  const tenure = `CASE ${TENURE_BANDS.map(([label, upTo]) => (Number.isFinite(upTo) ? `WHEN ${tenureDays} < ${upTo} THEN ${values.bind(label)}` : `ELSE ${values.bind(label)}`)).join(' ')} END`;
  const valueBand =
    plan.valueCuts === null
      ? values.bind('all')
      : `CASE WHEN ${tenureDays} < ${WINDOW_DAYS} THEN ${values.bind('new')} WHEN ${value} <= ${values.bind(plan.valueCuts[0])} THEN ${values.bind('low')} ` +
        `WHEN ${value} <= ${values.bind(plan.valueCuts[1])} THEN ${values.bind('middle')} ELSE ${values.bind('high')} END`;
  const spine = `(SELECT ${d.toDouble(`${plan.weeks.first} + ${q('_fa_w')}`)} AS ${k} FROM ${d.integerSeries(plan.weeks.last - plan.weeks.first + 1, '_fa_w')} AS ${q('_fa_series')})`;
  return (
    `SELECT ${id}, ${k}, CASE WHEN ${fee} >= ${weekStart} AND ${fee} < ${weekEnd} THEN 1 ELSE 0 END AS ${q('_fa_treated')}, ` +
    `CASE WHEN ${churn} IS NOT NULL AND ${churn} < ${weekEnd} + ${WINDOW_SECONDS} THEN 1 ELSE 0 END AS ${q('_fa_churned')}, ` +
    `${tenure} AS ${q('_fa_tenure')}, ${valueBand} AS ${q('_fa_value')} ` +
    `FROM (${customerRows(ctx, values, plan)}) AS ${q('_fa_c')} CROSS JOIN ${spine} AS ${q('_fa_weeks')} ` +
    `WHERE ${entry} IS NOT NULL AND ${entry} < ${weekEnd} AND (${churn} IS NULL OR ${churn} >= ${weekEnd}) AND (${fee} IS NULL OR ${fee} >= ${weekStart})`
  );
}

/**
 * Each customer's mean satisfaction score over the answers given in the 90
 * days after the end of week k, per (customer, k): every answer is counted
 * in the 13 or 14 windows that hold it (a 14-row offset spine, not every week).
 */
function windowAnswers(ctx: AnalysisContext, values: SqlValues, plan: RiskSetPlan, instrument: 'nps' | 'csat'): string {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const id = q('customer_id');
  const sv = (name: string): string => plan.tables.column('survey_responses', name);
  const at = d.epochSeconds(sv('at'));
  const score = d.toDouble(sv('score'));
  const scored = instrument === 'nps' ? `(CASE WHEN ${score} >= 9 THEN ${d.toDouble('100')} WHEN ${score} >= 7 THEN ${d.toDouble('0')} ELSE ${d.toDouble('-100')} END)` : score;
  const int64 = d.columnType('int64', false);
  const offsets = Math.ceil(WINDOW_DAYS / 7) + 1;
  // The week gets its own name here and is renamed one level up: ClickHouse aliases are query-wide.
  const k = q('_fa_wk');
  const weekEnd = `(${d.toDouble(k)} * ${WEEK_SECONDS} + ${WEEK_ORIGIN_SECONDS + WEEK_SECONDS})`;
  const asOfEnd = Date.parse(`${ctx.asOf}T00:00:00Z`) / 1000 + DAY_SECONDS;
  const expanded =
    `SELECT ${id}, CAST(floor((${at} - ${WEEK_ORIGIN_SECONDS}) / ${WEEK_SECONDS}) AS ${int64}) - 1 - CAST(${q('_fa_o')} AS ${int64}) AS ${k}, ${scored} AS ${q('_fa_x')}, ${at} AS ${q('_fa_at')} ` +
    `FROM ${d.shardLocalTable('survey_responses')} CROSS JOIN ${d.integerSeries(offsets, '_fa_o')} AS ${q('_fa_offsets')} ` +
    `WHERE ${sv('instrument')} = ${values.bind(instrument)} AND ${sv('score')} IS NOT NULL AND ${at} < ${values.bind(asOfEnd)}`;
  return (
    `SELECT ${id}, ${d.toDouble(k)} AS ${q('_fa_k')}, avg(${q('_fa_x')}) AS ${q('_fa_mean')} FROM (${expanded}) AS ${q('_fa_ans')} ` +
    `WHERE ${k} >= ${plan.weeks.first} AND ${k} <= ${plan.weeks.last} AND ${q('_fa_at')} >= ${weekEnd} AND ${q('_fa_at')} < ${weekEnd} + ${WINDOW_SECONDS} GROUP BY ${id}, ${k}`
  );
}

type SqlRow = Record<string, RowValue>;

/**
 * The risk sets of one fee line: one GROUP BY over the customers in scope
 * joined to their eligible weeks (and answers), by week, segment, tenure band,
 * value band and role. Read directly from customer_facts, so on a cluster
 * each shard builds its own customers' weeks and only the sums travel.
 */
export async function riskSets(ctx: AnalysisContext, values: SqlValues, plan: RiskSetPlan): Promise<RiskSet[]> {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const id = q('customer_id');
  const weeks = customerWeeks(ctx, values, plan);
  const cols = ['_fa_k', '_fa_treated', '_fa_churned', '_fa_tenure', '_fa_value'].map(q);
  const joined =
    plan.instrument === null
      ? `(SELECT ${id}, ${cols.join(', ')}, CAST(NULL AS ${d.columnType('double', true)}) AS ${q('_fa_mean')} FROM (${weeks}) AS ${q('_fa_e')})`
      : `(SELECT ${id}, ${cols.join(', ')}, ${q('_fa_mean')} FROM (${weeks}) AS ${q('_fa_e')} LEFT JOIN (${windowAnswers(ctx, values, plan, plan.instrument)}) AS ${q('_fa_a')} USING (${id}, ${q('_fa_k')}))`;
  const segment = plan.segment ?? values.bind('all');
  const keys = [q('_fa_k'), ...(plan.segment === null ? [] : [plan.segment]), q('_fa_tenure'), q('_fa_value'), q('_fa_treated')];
  const mean = q('_fa_mean');
  const zero = d.toDouble('0');
  const rows = await scopeQuery<SqlRow>(
    ctx,
    scopeSelect(ctx, {
      items: [
        q('_fa_k'),
        `${segment} AS ${q('_fa_segment')}`,
        q('_fa_tenure'),
        q('_fa_value'),
        q('_fa_treated'),
        `count(*) AS ${q('_n')}`,
        `sum(${q('_fa_churned')}) AS ${q('_churned')}`,
        `sum(CASE WHEN ${mean} IS NULL THEN 0 ELSE 1 END) AS ${q('_answered')}`,
        `sum(CASE WHEN ${mean} IS NULL THEN ${zero} ELSE ${mean} END) AS ${q('_score')}`,
        `sum(CASE WHEN ${mean} IS NULL THEN ${zero} ELSE ${mean} * ${mean} END) AS ${q('_squares')}`,
      ],
      join: `JOIN ${joined} AS ${q('_fa_x')} USING (${id})`,
      groupBy: keys,
    }),
    values,
  );
  const sets = new Map<string, RiskSet>();
  const empty = (): RoleSums => ({ customers: 0, churned: 0, answered: 0, score: 0, scoreSquares: 0 });
  for (const row of rows) {
    const key = [row['_fa_k'], row['_fa_segment'], row['_fa_tenure'], row['_fa_value']].map((v) => String(numberOf(v) ?? v)).join('|');
    const set = sets.get(key) ?? { key, treated: empty(), controls: empty() };
    const role = numberOf(row['_fa_treated']) === 1 ? set.treated : set.controls;
    role.customers += numberOf(row['_n']) ?? 0;
    role.churned += numberOf(row['_churned']) ?? 0;
    role.answered += numberOf(row['_answered']) ?? 0;
    role.score += numberOf(row['_score']) ?? 0;
    role.scoreSquares += numberOf(row['_squares']) ?? 0;
    sets.set(key, set);
  }
  // A fixed order, so sums over risk sets add up the same way on every engine.
  return [...sets.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
