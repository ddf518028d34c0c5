import { normalCritical } from '../../stats/index.js';
import { perCustomerSubquery } from '../per-customer-join.js';
import { scopeQuery, scopeSelect } from '../scope-query.js';
import { numberOf, type SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import { netScoreSql } from './change-measures.js';
import type { ChangeGroups } from './change-groups.js';
import { isEmpty, type Span } from './windows.js';

/** One group's NPS in one calendar month. */
export interface MonthlyNps {
  /** First day of the month, YYYY-MM-DD. */
  month: string;
  /** 1 treated, 0 comparison. */
  group: number;
  answers: number;
  customers: number;
  nps: number;
  lower: number;
  upper: number;
}

/**
 * NPS per calendar month for each group over the change's windows, with a
 * 95% interval clustered by customer (a customer answering twice in a month
 * counts once as a cluster): each customer's answers and net scores summed
 * per month in a co-located join, then per group and month.
 */
export async function npsByMonth(ctx: AnalysisContext, values: SqlValues, groups: ChangeGroups, spans: readonly Span[]): Promise<MonthlyNps[]> {
  const used = spans.filter((s) => !isEmpty(s));
  if (used.length === 0) return [];
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const at = q('at');
  const first = new Date(Math.min(...used.map((s) => s.start.getTime())));
  const last = new Date(Math.max(...used.map((s) => s.end.getTime())));
  const month = d.dateTrunc('month', at);
  const sub = perCustomerSubquery(
    ctx,
    'survey_responses',
    [`${month} AS ${q('_sm')}`, `count(*) AS ${q('_sn')}`, `sum(${netScoreSql(q('score'))}) AS ${q('_sy')}`],
    [`${q('instrument')} = ${values.bind('nps')}`, `${q('score')} IS NOT NULL`, `${at} >= ${values.bind(first)}`, `${at} < ${values.bind(last)}`],
    [month],
  );
  const n = d.toDouble(q('_sn'));
  const y = d.toDouble(q('_sy'));
  const rows = await scopeQuery(
    ctx,
    scopeSelect(ctx, {
      items: [
        `${groups.flag} AS ${q('_g')}`,
        `${q('_sm')} AS ${q('_m')}`,
        `sum(${n}) AS ${q('_n')}`,
        `sum(${y}) AS ${q('_y')}`,
        `sum(${n} * ${n}) AS ${q('_nn')}`,
        `sum(${n} * ${y}) AS ${q('_ny')}`,
        `sum(${y} * ${y}) AS ${q('_yy')}`,
        `count(*) AS ${q('_c')}`,
      ],
      join: `INNER JOIN ${sub} AS ${q('_mv')} USING (${q('customer_id')})`,
      where: [groups.member],
      groupBy: groups.single ? [q('_sm')] : [groups.flag, q('_sm')],
    }),
    values,
  );
  const z = normalCritical(0.95);
  return rows
    .map((row) => {
      const answers = numberOf(row['_n']) ?? 0;
      const sum = numberOf(row['_y']) ?? 0;
      const customers = numberOf(row['_c']) ?? 0;
      const mean = answers > 0 ? sum / answers : 0;
      const s = (numberOf(row['_yy']) ?? 0) - 2 * mean * (numberOf(row['_ny']) ?? 0) + mean * mean * (numberOf(row['_nn']) ?? 0);
      const se = customers > 1 && answers > 0 ? Math.sqrt(Math.max(0, (customers / (customers - 1)) * s)) / answers : 0;
      return { month: String(row['_m']).slice(0, 10), group: numberOf(row['_g']) ?? 0, answers, customers, nps: mean, lower: mean - z * se, upper: mean + z * se };
    })
    .sort((a, b) => (a.month < b.month ? -1 : a.month > b.month ? 1 : b.group - a.group));
}
