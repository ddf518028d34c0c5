import { numberOf, SqlValues } from '../analysis/sql-values.js';
import type { Engine, Row } from '../engine/types.js';
import type { ImportLedger } from '../model/ledger.js';
import { shownText } from './pii.js';

/** One calendar month of a customer's history (UTC). */
export interface HistoryMonth {
  /** YYYY-MM. */
  month: string;
  purchases: number;
  /** Money in the workspace currency, positive; the name says its direction. */
  revenue: number;
  fees: number;
  refunds: number;
  credits: number;
  interactions: number;
  surveyAnswers: number;
  /** Mean NPS answer (0-10) that month; null without one. */
  meanNps: number | null;
}

/** One survey answer of a customer. */
export interface SurveyAnswer {
  at: string;
  instrument: string;
  question: string | null;
  area: string | null;
  score: number | null;
  /** Free text with e-mails and phone numbers masked; null when there is none or it was hashed on import. */
  comment: string | null;
  /** `hashed`: the comment column is under `pii: hash` in cxray.yaml, so its words are not stored. */
  commentHidden: 'hashed' | null;
}

/** Survey answers shown at most, newest first. */
export const MAX_SURVEY_ANSWERS = 200;

const has = (ledger: ImportLedger, table: string): boolean => (ledger.tables[table] ?? 0) > 0;

function monthOf(value: unknown): string {
  return String(value).slice(0, 7);
}

/**
 * A customer's history by calendar month: purchases and money by kind
 * (transactions), contacts (interactions), survey answers and their mean
 * NPS, each from the tables this import holds.
 */
export async function customerHistory(engine: Engine, ledger: ImportLedger, id: string): Promise<HistoryMonth[]> {
  const d = engine.dialect;
  const q = d.quoteIdent;
  const values = new SqlValues(engine, 'api');
  const who = `${q('customer_id')} = ${values.bind(id)}`;
  const month = `${d.dateTrunc('month', q('at'))}`;
  const months = new Map<string, HistoryMonth>();
  const at = (m: string): HistoryMonth => {
    let row = months.get(m);
    if (row === undefined) {
      row = { month: m, purchases: 0, revenue: 0, fees: 0, refunds: 0, credits: 0, interactions: 0, surveyAnswers: 0, meanNps: null };
      months.set(m, row);
    }
    return row;
  };
  const kindSum = (kind: string): string => `sum(CASE WHEN ${q('kind')} = ${values.bind(kind)} THEN ${d.toDouble(q('amount'))} ELSE 0 END)`;
  const nps = (): string => `CASE WHEN ${q('instrument')} = ${values.bind('nps')} THEN ${d.toDouble(q('score'))} ELSE NULL END`;
  // Asked at once (the store answers one query at a time: asked in turn, each would wait behind other requests' queries).
  const none = Promise.resolve<Row[]>([]);
  const [transactions, interactions, answers] = await Promise.all([
    has(ledger, 'transactions')
      ? engine.query(
          `SELECT ${month} AS ${q('_m')}, sum(CASE WHEN ${q('kind')} = ${values.bind('purchase')} THEN 1 ELSE 0 END) AS ${q('_np')}, ` +
            `${kindSum('purchase')} AS ${q('_rv')}, ${kindSum('fee')} AS ${q('_fe')}, ${kindSum('refund')} AS ${q('_rf')}, ${kindSum('credit')} AS ${q('_cr')} ` +
            `FROM ${q('transactions')} WHERE ${who} GROUP BY ${month}`,
          values.params,
        )
      : none,
    has(ledger, 'interactions') ? engine.query(`SELECT ${month} AS ${q('_m')}, count(*) AS ${q('_n')} FROM ${q('interactions')} WHERE ${who} GROUP BY ${month}`, values.params) : none,
    has(ledger, 'survey_responses') ? engine.query(`SELECT ${month} AS ${q('_m')}, count(*) AS ${q('_n')}, avg(${nps()}) AS ${q('_nps')} FROM ${q('survey_responses')} WHERE ${who} GROUP BY ${month}`, values.params) : none,
  ]);
  for (const r of transactions) {
    const m = at(monthOf(r['_m']));
    m.purchases = numberOf(r['_np']) ?? 0;
    m.revenue = numberOf(r['_rv']) ?? 0;
    m.fees = numberOf(r['_fe']) ?? 0;
    m.refunds = numberOf(r['_rf']) ?? 0;
    m.credits = numberOf(r['_cr']) ?? 0;
  }
  for (const r of interactions) at(monthOf(r['_m'])).interactions = numberOf(r['_n']) ?? 0;
  for (const r of answers) {
    const m = at(monthOf(r['_m']));
    m.surveyAnswers = numberOf(r['_n']) ?? 0;
    const mean = numberOf(r['_nps']);
    m.meanNps = mean === null ? null : Math.round(mean * 100) / 100;
  }
  return [...months.values()].sort((a, b) => (a.month < b.month ? -1 : a.month > b.month ? 1 : 0));
}

/** A customer's survey answers, newest first (at most MAX_SURVEY_ANSWERS), comments masked as pii.ts says. */
export async function customerSurveyAnswers(engine: Engine, ledger: ImportLedger, id: string): Promise<{ answers: SurveyAnswer[]; total: number }> {
  if (!has(ledger, 'survey_responses')) return { answers: [], total: 0 };
  const d = engine.dialect;
  const q = d.quoteIdent;
  const values = new SqlValues(engine, 'api');
  const who = `${q('customer_id')} = ${values.bind(id)}`;
  const [[counted], rows] = await Promise.all([
    engine.query(`SELECT count(*) AS ${q('_n')} FROM ${q('survey_responses')} WHERE ${who}`, values.params),
    engine.query(
    `SELECT ${q('at')} AS ${q('_at')}, ${q('instrument')} AS ${q('_i')}, ${q('question')} AS ${q('_q')}, ${q('area')} AS ${q('_a')}, ${d.toDouble(q('score'))} AS ${q('_s')}, ${q('comment')} AS ${q('_c')} ` +
      `FROM ${q('survey_responses')} WHERE ${who} ORDER BY ${q('at')} DESC, ${q('instrument')}, ${q('question')} LIMIT ${MAX_SURVEY_ANSWERS}`,
      values.params,
    ),
  ]);
  const answers = rows.map((r): SurveyAnswer => {
    const comment = shownText(r['_c'] === null || r['_c'] === undefined ? null : String(r['_c']));
    return {
      at: String(r['_at']),
      instrument: String(r['_i']),
      question: r['_q'] === null ? null : String(r['_q']),
      area: r['_a'] === null ? null : String(r['_a']),
      score: numberOf(r['_s']),
      comment: comment.text,
      commentHidden: comment.hidden,
    };
  });
  return { answers, total: numberOf(counted?.['_n']) ?? 0 };
}
