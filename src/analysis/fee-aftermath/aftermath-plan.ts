import type { RowValue } from '../../engine/types.js';
import { CUSTOMER_FACTS_TABLE } from '../../facts/index.js';
import { SourceTables } from '../../facts/source-tables.js';
import { hasRows } from '../needs.js';
import { satisfactionMeasure } from '../perfect-customer/satisfaction.js';
import { perCustomerSubquery } from '../per-customer-join.js';
import { scopeQuery, scopeSelect } from '../scope-query.js';
import { numberOf, type SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import { segmentGroupings } from '../value/segment-groupings.js';
import { WEEK_ORIGIN_SECONDS, WEEK_SECONDS, WINDOW_DAYS } from './risk-set-sql.js';

/** A fee line and the customers in scope it was ever charged to. */
export interface FeeLine {
  category: string | null;
  /** Customers in scope charged it at least once. */
  customers: number;
  /** The first instant it was charged to one of them (epoch seconds). */
  firstAt: number;
}

export interface AftermathSetting {
  tables: SourceTables;
  lines: FeeLine[];
  /** The segment matched on: its label and SQL, or null. */
  segment: { label: string; sql: string } | null;
  valueCuts: [number, number] | null;
  instrument: 'nps' | 'csat' | null;
  /** The last week whose 90 days after its end are all observed by as_of, and the period's weeks. */
  weekBounds: { first: number | null; last: number };
}

const DAY_SECONDS = 86_400;

/** Week number (weeks since the Monday 1970-01-05) of an instant in epoch seconds. */
export function weekOf(seconds: number): number {
  return Math.floor((seconds - WEEK_ORIGIN_SECONDS) / WEEK_SECONDS);
}

/**
 * What every line's risk sets share: the fee lines charged in scope, the
 * segment to match on (cxray.yaml's `segment` grouping, else its first
 * segment), the value bands' cut points (thirds of what customers bought in
 * their first 90 days, among customers in scope who have had 90 days), the
 * satisfaction instrument (NPS, else CSAT) and the weeks that can be used.
 */
export async function aftermathSetting(ctx: AnalysisContext, values: SqlValues): Promise<AftermathSetting> {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const tables = await SourceTables.discover(ctx.engine);
  const tx = (name: string): string => tables.column('transactions', name);
  const fees = perCustomerSubquery(ctx, 'transactions', [`${tx('category')} AS ${q('_fa_category')}`, `min(${d.epochSeconds(tx('at'))}) AS ${q('_fa_first')}`], [`${tx('kind')} = ${values.bind('fee')}`], [tx('category')]);
  const lineRows = await scopeQuery<Record<string, RowValue>>(
    ctx,
    scopeSelect(ctx, {
      items: [q('_fa_category'), `count(*) AS ${q('_n')}`, `min(${q('_fa_first')}) AS ${q('_first')}`],
      join: `JOIN ${fees} AS ${q('_fa_f')} USING (${q('customer_id')})`,
      groupBy: [q('_fa_category')],
    }),
    values,
  );
  const lines = lineRows
    .map((r) => ({ category: r['_fa_category'] === null || r['_fa_category'] === undefined ? null : String(r['_fa_category']), customers: numberOf(r['_n']) ?? 0, firstAt: numberOf(r['_first']) ?? 0 }))
    .sort((a, b) => b.customers - a.customers || String(a.category).localeCompare(String(b.category)));

  const { groupings } = segmentGroupings(ctx, values);
  const grouping = groupings.find((g) => g.key === 'segment') ?? groupings[0];
  const measure = hasRows(ctx, 'survey_responses') ? await satisfactionMeasure(ctx, values) : null;

  const asOfEnd = Date.parse(`${ctx.asOf}T00:00:00Z`) / 1000 + DAY_SECONDS;
  const end = ctx.period?.end === undefined ? asOfEnd : Math.min(asOfEnd, ctx.period.end.getTime() / 1000);
  // Weeks starting in the period, whose 90 days after their end are all before as_of.
  const last = Math.min(weekOf(asOfEnd - WINDOW_DAYS * DAY_SECONDS) - 1, weekOf(end - 1));
  const first = ctx.period?.start === undefined ? null : Math.ceil((ctx.period.start.getTime() / 1000 - WEEK_ORIGIN_SECONDS) / WEEK_SECONDS);
  return {
    tables,
    lines,
    segment: grouping === undefined ? null : { label: grouping.label, sql: grouping.expr },
    valueCuts: await valueCuts(ctx, values, tables, asOfEnd),
    instrument: measure?.kind ?? null,
    weekBounds: { first, last },
  };
}

/** Thirds of first-90-day purchases among customers in scope who have had their first 90 days by as_of. */
async function valueCuts(ctx: AnalysisContext, values: SqlValues, tables: SourceTables, asOfEnd: number): Promise<[number, number] | null> {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const stored = new Set(ctx.facts.columns.map((c) => c.name));
  const starts = ['signup_at', 'first_purchase_at'].filter((c) => stored.has(c)).map(q);
  if (starts.length === 0) return null;
  const entry = d.epochSeconds(starts.length === 1 ? (starts[0] as string) : `COALESCE(${starts.join(', ')})`);
  const tx = (name: string): string => tables.column('transactions', name);
  const at = d.epochSeconds(tx('at'));
  const id = q('customer_id');
  const early =
    `(SELECT ${id}, sum(CASE WHEN ${tx('kind')} = ${values.bind('purchase')} AND ${at} < ${q('_fa_start')} + ${WINDOW_DAYS * DAY_SECONDS} THEN ${d.toDouble(tx('amount'))} ELSE ${d.toDouble('0')} END) AS ${q('_fa_early')} ` +
    `FROM ${d.shardLocalTable('transactions')} JOIN (SELECT ${id}, ${entry} AS ${q('_fa_start')} FROM ${d.shardLocalTable(CUSTOMER_FACTS_TABLE)}) AS ${q('_fa_s')} USING (${id}) GROUP BY ${id})`;
  const spend = `COALESCE(${q('_fa_early')}, ${d.toDouble('0')})`;
  const [row] = await scopeQuery<Record<string, RowValue>>(
    ctx,
    scopeSelect(ctx, {
      items: [`${d.quantileExact(spend, 1 / 3)} AS ${q('_q1')}`, `${d.quantileExact(spend, 2 / 3)} AS ${q('_q2')}`, `count(*) AS ${q('_n')}`],
      join: `LEFT JOIN ${early} AS ${q('_fa_v')} USING (${id})`,
      where: [`${entry} IS NOT NULL`, `${entry} + ${WINDOW_DAYS * DAY_SECONDS} <= ${values.bind(asOfEnd)}`],
    }),
    values,
  );
  const q1 = numberOf(row?._q1);
  const q2 = numberOf(row?._q2);
  if ((numberOf(row?._n) ?? 0) < 30 || q1 === null || q2 === null) return null;
  return [q1, q2];
}
