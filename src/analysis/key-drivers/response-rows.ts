import { periodConditions } from '../period-sql.js';
import { scopeSelect } from '../scope-query.js';
import { SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import { perCustomerJoin } from '../per-customer-join.js';
import type { ModelRows } from './moments-sql.js';
import { blockKeySql } from '../block-bootstrap.js';
import { AREA_INSTRUMENTS, type SurveyArea, type SurveyLayout } from './survey-layout.js';

/** The outcome's column in the response rows; area k's is `_sa<k>`. */
export const OUTCOME_COLUMN = '_sy';
export const areaColumn = (k: number): string => `_sa${k}`;
/** With `answeredAt`, the response's first answer instant (a timestamp); not one of the model's columns. */
export const ANSWERED_AT_COLUMN = '_st';

/**
 * One row per survey response of a customer in scope (answered in the
 * period): the overall answer and each area's rating in that response,
 * pivoted in SQL. A response is its response_id; answers without one are
 * grouped per customer and answer instant. Several answers of one area in a
 * response (two questions on billing) are averaged. `answeredAt` adds the
 * response's first answer instant (ANSWERED_AT_COLUMN), for trends over time.
 */
export function responseRows(ctx: AnalysisContext, layout: Pick<SurveyLayout, 'instrument'>, areas: readonly SurveyArea[], options: { answeredAt?: boolean } = {}): ModelRows {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const values = new SqlValues(ctx.engine, 'r');
  const inList = (items: readonly string[]): string => `(${items.map((v) => values.bind(v)).join(', ')})`;
  const score = q('score');
  const pick = (condition: string): string => `avg(CASE WHEN ${condition} THEN ${score} ELSE NULL END)`;
  const outcome = pick(`${q('instrument')} = ${values.bind(layout.instrument)} AND ${q('area')} IS NULL`);
  const rated = `${q('instrument')} IN ${inList(AREA_INSTRUMENTS)}`;
  const items = [
    `${outcome} AS ${q(OUTCOME_COLUMN)}`,
    ...areas.map((a, k) => `${pick(`${rated} AND ${q('area')} IN ${inList(a.values)}`)} AS ${q(areaColumn(k))}`),
    `count(*) AS ${q('_sk')}`,
    ...(options.answeredAt === true ? [`min(${q('at')}) AS ${q(ANSWERED_AT_COLUMN)}`] : []),
  ];
  const responseId = q('response_id');
  const keys = [responseId, `CASE WHEN ${responseId} IS NULL THEN ${q('at')} ELSE NULL END`];
  const join = perCustomerJoin(ctx, 'survey_responses', items, [`${score} IS NOT NULL`, ...periodConditions(ctx, values, q('at'))], '_sr', keys);
  const columns = [OUTCOME_COLUMN, ...areas.map((_, k) => areaColumn(k))];
  const select = scopeSelect(ctx, {
    items: [`${blockKeySql(d, q('customer_id'))} AS ${q('_u')}`, ...columns.map((c) => q(c)), ...(options.answeredAt === true ? [q(ANSWERED_AT_COLUMN)] : [])],
    join,
    where: [`${q('_sk')} IS NOT NULL`],
  });
  return { select, values: [values], columns };
}
