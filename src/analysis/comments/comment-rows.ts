import { periodConditions } from '../period-sql.js';
import { scopeParams, scopeSelect } from '../scope-query.js';
import { numberOf, SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';

/** One free-text comment in scope, with what its response said on the overall questions. */
export interface CommentRow {
  /** The response id; a response without one is `<customer>@<epoch seconds>`; a second comment of a response gets `#2`. */
  id: string;
  text: string;
  /** The response's overall NPS answer (0-10; the mean if it gave two), null when it has none. */
  nps: number | null;
  /** The response's overall CSAT answer, null when it has none. */
  csat: number | null;
  /** When the comment was answered: seconds since 1970-01-01 UTC. */
  at: number;
}

/** Rows a stream batch holds: a million customers write about half a million comments. */
const BATCH = 20_000;

const byKey = (a: { key: string; text: string }, b: { key: string; text: string }): number =>
  a.key < b.key ? -1 : a.key > b.key ? 1 : a.text < b.text ? -1 : a.text > b.text ? 1 : 0;

/**
 * Every comment (survey_responses with instrument = comment and a text) of a
 * customer in scope, answered in the period, with the overall NPS and CSAT
 * answers of the same response: the same response_id, else (answers without
 * one) the same customer and instant, as key-drivers groups responses. One
 * statement: the comments joined to the responses' overall answers per
 * customer (co-located on a cluster: a customer's answers are all on its
 * shard), streamed in batches, only id, text, the two answers and the
 * instant kept. Sorted by id (then text) in TypeScript, so both engines give
 * the same order whatever order rows arrive in.
 */
export async function commentRows(ctx: AnalysisContext): Promise<CommentRow[]> {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const values = new SqlValues(ctx.engine, 'cm');
  const id = q('customer_id');
  const responseId = q('response_id');
  const at = q('at');
  const local = d.shardLocalTable('survey_responses');
  // A response is its id, else its customer (the USING key) and instant: two non-null keys, so the join matches on every engine.
  const idKey = `CASE WHEN ${responseId} IS NULL THEN ${d.literal('')} ELSE ${d.assumeNotNull(responseId)} END`;
  const instantKey = `CASE WHEN ${responseId} IS NULL THEN ${d.epochSeconds(at)} ELSE ${d.toDouble('0')} END`;
  const comments =
    `SELECT ${id}, ${idKey} AS ${q('_cmk')}, ${instantKey} AS ${q('_cmt')}, ${responseId} AS ${q('_cmr')}, ` +
    `CASE WHEN ${responseId} IS NULL THEN ${id} ELSE NULL END AS ${q('_cmu')}, ${d.epochSeconds(at)} AS ${q('_cma')}, ${q('comment')} AS ${q('_cmx')} ` +
    `FROM ${local} WHERE ${[`${q('instrument')} = ${values.bind('comment')}`, `${q('comment')} IS NOT NULL`, ...periodConditions(ctx, values, at)].join(' AND ')}`;
  const answer = (instrument: string): string => `avg(CASE WHEN ${q('instrument')} = ${values.bind(instrument)} THEN ${q('score')} ELSE NULL END)`;
  const answers =
    `SELECT ${id}, ${idKey} AS ${q('_cmk')}, ${instantKey} AS ${q('_cmt')}, ${answer('nps')} AS ${q('_cmn')}, ${answer('csat')} AS ${q('_cmc')} ` +
    `FROM ${local} WHERE ${q('instrument')} IN (${values.bind('nps')}, ${values.bind('csat')}) AND ${q('area')} IS NULL AND ${q('score')} IS NOT NULL ` +
    `GROUP BY ${id}, ${idKey}, ${instantKey}`;
  const columns = ['_cmr', '_cmu', '_cma', '_cmx', '_cmn', '_cmc'].map((c) => q(c));
  const joined = `(SELECT ${id}, ${columns.join(', ')} FROM (${comments}) AS ${q('_cml')} LEFT JOIN (${answers}) AS ${q('_cms')} USING (${id}, ${q('_cmk')}, ${q('_cmt')}))`;
  const sql = scopeSelect(ctx, { items: columns, join: `INNER JOIN ${joined} AS ${q('_cmj')} USING (${id})` });

  const drafts: { key: string; text: string; nps: number | null; csat: number | null; at: number }[] = [];
  const options = ctx.signal === undefined ? { batchSize: BATCH } : { batchSize: BATCH, signal: ctx.signal };
  for await (const batch of ctx.engine.stream(sql, scopeParams(ctx, [values]), options)) {
    for (const row of batch) {
      const text = row['_cmx'];
      if (typeof text !== 'string') continue;
      const seconds = numberOf(row['_cma']) ?? 0;
      const response = row['_cmr'];
      const key = typeof response === 'string' ? response : `${String(row['_cmu'])}@${seconds}`;
      drafts.push({ key, text, nps: numberOf(row['_cmn']), csat: numberOf(row['_cmc']), at: seconds });
    }
  }
  drafts.sort(byKey);
  const out: CommentRow[] = [];
  const used = new Set<string>();
  for (const draft of drafts) {
    let unique = draft.key;
    for (let repeat = 2; used.has(unique); repeat += 1) unique = `${draft.key}#${repeat}`;
    used.add(unique);
    out.push({ id: unique, text: draft.text, nps: draft.nps, csat: draft.csat, at: draft.at });
  }
  return out;
}
