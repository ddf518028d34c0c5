import { SourceTables } from '../../facts/source-tables.js';
import { hasRows } from '../needs.js';
import { exposureMonths } from '../perfect-customer/behaviours.js';
import { periodConditions } from '../period-sql.js';
import type { SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import { customerMeasures } from '../value/measures.js';

/** Transaction kinds that earn revenue: each (kind, category) is a revenue line. */
export const EARNING_KINDS = ['fee', 'purchase'] as const;
export type EarningKind = (typeof EARNING_KINDS)[number];

/**
 * Where each counted customer's class inputs come from, as SQL over a row of
 * customer_facts in scope (joined, with a period, to the answers dated by
 * its end). Without a period: customer_facts' latest NPS and CSAT by as_of,
 * exposure, churn, and revenue + fees. With a period: the latest NPS and CSAT
 * answered by the period's end (answers given later cannot describe the
 * customer who paid then), exposure inside the period, churn by as_of
 * ("later churned"), and what was paid in the period.
 */
export interface CustomerSource {
  /** The customer's latest NPS score (0-10), or null when no NPS can be known. */
  nps: string | null;
  csat: string | null;
  /** Months of exposure (DOUBLE), or null without a start date column. */
  months: string | null;
  /** 0/1: churned by as_of; null without status changes. */
  churned: string | null;
  /** What the customer paid in every revenue line (money). */
  paid: string;
  /** The join the overall query needs (period: latest answers and payments), if any. */
  join?: string;
  /**
   * Turns the per-(customer, line) revenue subquery, whose columns besides
   * customer_id are `columns`, into one that also carries the class columns
   * (with a period), else leaves it.
   */
  withClasses(lines: string, columns: readonly string[]): string;
  /** Which customers are counted: with a period, those exposed in it. */
  where: string[];
  /** Conditions restricting transactions to the lines and the period. */
  transactions: { table: string; kind: string; category: string; amount: string; where: string[] };
}

/** Names of the columns the period's class subquery gives (start with `_`, like every alias next to customer_facts). */
const PERIOD_COLUMNS = { nps: '_bc_nps', csat: '_bc_csat', paid: '_bc_paid' } as const;

export async function customerSource(ctx: AnalysisContext, values: SqlValues): Promise<CustomerSource> {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const stored = new Set(ctx.facts.columns.map((c) => c.name));
  const tables = await SourceTables.discover(ctx.engine);
  const tx = (name: string): string => tables.column('transactions', name);
  const transactions = {
    table: d.shardLocalTable('transactions'),
    kind: tx('kind'),
    category: tx('category'),
    amount: tx('amount'),
    where: [`${tx('kind')} IN (${EARNING_KINDS.map((k) => values.bind(k)).join(', ')})`, ...periodConditions(ctx, values, tx('at'))],
  };
  const churned = stored.has('churned') && hasRows(ctx, 'status_changes') ? d.boolToInt(q('churned')) : null;
  const zero = d.toMoney('0');
  if (ctx.period === null) {
    return {
      nps: stored.has('latest_nps') ? q('latest_nps') : null,
      csat: stored.has('latest_csat') ? q('latest_csat') : null,
      months: stored.has('exposure_days') ? exposureMonths(ctx) : null,
      churned,
      paid: d.toMoney(`${stored.has('revenue') ? q('revenue') : zero} + ${stored.has('fees') ? q('fees') : zero}`),
      withClasses: (lines) => lines,
      where: [],
      transactions,
    };
  }
  const surveys = hasRows(ctx, 'survey_responses') && tables.has('survey_responses');
  const months = (await customerMeasures(ctx, values, null)).months;
  const classes = (paid: boolean): string => periodClasses(ctx, values, tables, transactions, { surveys, paid });
  const id = q('customer_id');
  const c = (name: string): string => q(name);
  return {
    nps: surveys ? c(PERIOD_COLUMNS.nps) : null,
    csat: surveys ? c(PERIOD_COLUMNS.csat) : null,
    months,
    churned,
    paid: d.toMoney(`COALESCE(${c(PERIOD_COLUMNS.paid)}, ${zero})`),
    join: `LEFT JOIN ${classes(true)} AS ${q('_bc')} USING (${id})`,
    withClasses: (lines, columns) =>
      surveys
        ? `(SELECT ${[id, ...columns, c(PERIOD_COLUMNS.nps), c(PERIOD_COLUMNS.csat)].join(', ')} FROM ${lines} AS ${q('_bl')} LEFT JOIN ${classes(false)} AS ${q('_bc')} USING (${id}))`
        : lines,
    // A customer without any start date has no exposure to cut to the period, and is counted.
    where: [`(${months} IS NULL OR ${months} > 0)`],
    transactions,
  };
}

/**
 * Per customer: the latest NPS and CSAT answered by the period's end (the
 * latest instant per customer and instrument joined back to the answers,
 * the highest score when several share it: customer_facts' rule, without
 * window functions) and, when `paid`, what they paid in the period, as one
 * UNION ALL grouped by customer (one JOIN per SELECT on ClickHouse 18.16).
 * Every part reads the shard's own rows: co-located, as perCustomerJoin
 * explains.
 */
function periodClasses(
  ctx: AnalysisContext,
  values: SqlValues,
  tables: SourceTables,
  transactions: CustomerSource['transactions'],
  options: { surveys: boolean; paid: boolean },
): string {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const id = q('customer_id');
  const double = d.columnType('double', true);
  const zero = d.toMoney('0');
  const branches: string[] = [];
  if (options.paid) {
    branches.push(
      `SELECT ${id}, CAST(NULL AS ${double}) AS ${q('_bu_nps')}, CAST(NULL AS ${double}) AS ${q('_bu_csat')}, ${d.toMoney(`COALESCE(${transactions.amount}, ${zero})`)} AS ${q('_bu_paid')} ` +
        `FROM ${transactions.table} WHERE ${transactions.where.join(' AND ')}`,
    );
  }
  if (options.surveys) {
    const sv = (name: string): string => tables.column('survey_responses', name);
    const local = d.shardLocalTable('survey_responses');
    // The class is the customer's as of the period's end: answers before it, whenever they started (periodConditions ends with that bound).
    const end = periodConditions(ctx, values, sv('at')).at(-1) as string;
    const scored = `${end} AND ${sv('score')} IS NOT NULL AND ${sv('instrument')} IN (${values.bind('nps')}, ${values.bind('csat')})`;
    const answers = `SELECT ${id}, ${q('instrument')}, ${q('at')}, ${d.toDouble(sv('score'))} AS ${q('_bs_score')} FROM ${local} WHERE ${scored}`;
    // The aggregate gets its own name and is renamed one level up: ClickHouse aliases are query-wide.
    const latest =
      `SELECT ${id}, ${q('instrument')}, ${q('_bs_latest')} AS ${q('at')} FROM (` +
      `SELECT ${id}, ${q('instrument')}, max(${q('at')}) AS ${q('_bs_latest')} FROM ${local} WHERE ${scored} GROUP BY ${id}, ${q('instrument')}) AS ${q('_bs_group')}`;
    const pick = (instrument: string): string => `CAST(max(CASE WHEN ${q('instrument')} = ${values.bind(instrument)} THEN ${q('_bs_score')} ELSE NULL END) AS ${double})`;
    branches.push(
      `SELECT ${id}, ${pick('nps')} AS ${q('_bu_nps')}, ${pick('csat')} AS ${q('_bu_csat')}, ${zero} AS ${q('_bu_paid')} ` +
        `FROM (${answers}) AS ${q('_bs_answers')} JOIN (${latest}) AS ${q('_bs_last')} USING (${id}, ${q('instrument')}, ${q('at')}) GROUP BY ${id}`,
    );
  }
  if (branches.length === 0) throw new Error('periodClasses needs payments or survey answers');
  const outer = [
    ...(options.surveys ? [`max(${q('_bu_nps')}) AS ${q(PERIOD_COLUMNS.nps)}`, `max(${q('_bu_csat')}) AS ${q(PERIOD_COLUMNS.csat)}`] : []),
    ...(options.paid ? [`sum(${q('_bu_paid')}) AS ${q(PERIOD_COLUMNS.paid)}`] : []),
  ];
  return `(SELECT ${id}, ${outer.join(', ')} FROM (${branches.join(' UNION ALL ')}) AS ${q('_bu')} GROUP BY ${id})`;
}
