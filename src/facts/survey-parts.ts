import type { FactsPart, FactsSqlContext } from './facts-part.js';
import { out } from './facts-part.js';

export const SV = {
  responses: '_v_responses',
  meanNps: '_v_mean_nps',
  firstNpsAt: '_v_first_nps_at',
  meanCsat: '_v_mean_csat',
  meanRating: '_v_mean_rating',
  comments: '_v_comments',
  latestNps: '_l_nps',
  latestCsat: '_l_csat',
  latestCes: '_l_ces',
} as const;

/** Counts and means over survey answers dated by as_of. */
export function surveySummaryPart(ctx: FactsSqlContext): FactsPart {
  const { d, values } = ctx;
  const outputs = [
    out(SV.responses, 'int64'),
    out(SV.meanNps, 'double'),
    out(SV.firstNpsAt, 'timestamp'),
    out(SV.meanCsat, 'double'),
    out(SV.meanRating, 'double'),
    out(SV.comments, 'int64'),
  ];
  if (!ctx.tables.has('survey_responses')) return { table: 'survey_responses', outputs, sql: null };

  const q = (name: string): string => d.quoteIdent(name);
  const col = (name: string): string => ctx.tables.column('survey_responses', name);
  const is = (instrument: string): string => `${col('instrument')} = ${values.bind(instrument)}`;
  const scoreOf = (instrument: string): string => `CASE WHEN ${is(instrument)} THEN ${d.toDouble(col('score'))} ELSE NULL END`;
  const responseId = col('response_id');
  const select = [
    q('customer_id'),
    // A wide survey export gives one row per answer sharing a response id; rows without an id count one each.
    `${d.countDistinct(responseId)} + sum(CASE WHEN ${responseId} IS NULL THEN 1 ELSE 0 END) AS ${q(SV.responses)}`,
    `avg(${scoreOf('nps')}) AS ${q(SV.meanNps)}`,
    `min(CASE WHEN ${is('nps')} AND ${col('score')} IS NOT NULL THEN ${col('at')} ELSE NULL END) AS ${q(SV.firstNpsAt)}`,
    `avg(${scoreOf('csat')}) AS ${q(SV.meanCsat)}`,
    `avg(${scoreOf('rating')}) AS ${q(SV.meanRating)}`,
    `sum(CASE WHEN ${is('comment')} AND ${col('comment')} IS NOT NULL AND ${col('comment')} <> ${values.bind('')} THEN 1 ELSE 0 END) AS ${q(SV.comments)}`,
  ];
  const sql = `SELECT ${select.join(', ')} FROM ${ctx.source('survey_responses')} WHERE ${col('at')} < ${ctx.asOfEnd} GROUP BY ${q('customer_id')}`;
  return { table: 'survey_responses', outputs, sql };
}

/**
 * The latest NPS, CSAT and CES score per customer, without window functions:
 * the latest instant per (customer, instrument) joined back to the answers.
 * Several answers at that instant: the highest score wins.
 */
export function latestScoresPart(ctx: FactsSqlContext): FactsPart {
  const { d, values } = ctx;
  const outputs = [out(SV.latestNps, 'double'), out(SV.latestCsat, 'double'), out(SV.latestCes, 'double')];
  if (!ctx.tables.has('survey_responses')) return { table: 'survey_responses', outputs, sql: null };

  const q = (name: string): string => d.quoteIdent(name);
  const col = (name: string): string => ctx.tables.column('survey_responses', name);
  const instruments = ['nps', 'csat', 'ces'] as const;
  const scored =
    `${col('at')} < ${ctx.asOfEnd} AND ${col('score')} IS NOT NULL ` +
    `AND ${col('instrument')} IN (${instruments.map((i) => values.bind(i)).join(', ')})`;
  const answers = `SELECT ${q('customer_id')}, ${q('instrument')}, ${q('at')}, ${d.toDouble(col('score'))} AS ${q('_score')} FROM ${ctx.source('survey_responses')} WHERE ${scored}`;
  // The aggregate gets its own name, then is renamed one level up: ClickHouse
  // aliases are query-wide, so `max(at) AS at` would shadow the column.
  const latestAt =
    `SELECT ${q('customer_id')}, ${q('instrument')}, ${q('_latest_at')} AS ${q('at')} FROM (` +
    `SELECT ${q('customer_id')}, ${q('instrument')}, max(${q('at')}) AS ${q('_latest_at')} FROM ${ctx.source('survey_responses')} WHERE ${scored} ` +
    `GROUP BY ${q('customer_id')}, ${q('instrument')}) AS ${q('_latest_group')}`;
  const pick = (instrument: string, name: string): string =>
    `max(CASE WHEN ${q('instrument')} = ${values.bind(instrument)} THEN ${q('_score')} ELSE NULL END) AS ${q(name)}`;
  const sql =
    `SELECT ${q('customer_id')}, ${pick('nps', SV.latestNps)}, ${pick('csat', SV.latestCsat)}, ${pick('ces', SV.latestCes)} ` +
    `FROM (${answers}) AS ${q('_answers')} JOIN (${latestAt}) AS ${q('_latest')} USING (${q('customer_id')}, ${q('instrument')}, ${q('at')}) ` +
    `GROUP BY ${q('customer_id')}`;
  return { table: 'survey_responses', outputs, sql };
}
