import type { ChangeDefinition } from '../analysis/changes/index.js';
import { customerIdIn } from '../analysis/customer-id.js';
import { explainFit } from '../analysis/fit/explain.js';
import { segmentCondition } from '../analysis/segment/index.js';
import { numberOf, SqlValues } from '../analysis/sql-values.js';
import type { RowValue } from '../engine/types.js';
import { UserError } from '../errors.js';
import type { ApiContext } from './api-context.js';
import { customerHistory, customerSurveyAnswers, type HistoryMonth, type SurveyAnswer } from './customer-history.js';
import { customerRow, type CustomerRow } from './customer-list.js';
import { customerScores, fitModel } from './customer-scores.js';
import { personalAttributes } from './pii.js';
import type { HeldVersion } from './version-stores.js';

/** A column of the customer's row of customer_facts. */
export interface CustomerFact {
  name: string;
  value: string | number | boolean | null;
  unit: string | null;
  description: string;
  /** `pii`: the attribute comes from a column cxray.yaml lists under `pii`; its stored value (a hash) is not shown. */
  hidden: 'pii' | null;
}

/** "Why is this customer 38?": the score taken apart into the base and each component's points. */
export type FitBreakdown =
  | {
      status: 'scored';
      score: number;
      base: number;
      /** Base + points before the score was clipped to 0-100. */
      unclipped: number;
      source: 'fitted' | 'configured';
      parts: { key: string; label: string; unit: string; value: number | null; points: number }[];
      sentence: string;
    }
  | { status: 'not_scored'; reason: string };

export interface TouchingChange {
  name: string;
  date: string;
  segment: string | null;
  description: string | null;
}

export interface CustomerDetail {
  id: string;
  scores: CustomerRow;
  facts: CustomerFact[];
  fit: FitBreakdown;
  history: HistoryMonth[];
  survey: { total: number; shown: number; answers: SurveyAnswer[] };
  changes: TouchingChange[];
  notes: string[];
}

/** A stored value as JSON: 64-bit integers as numbers while exact (else their digits), DECIMAL money as a number. */
function jsonValue(value: RowValue | undefined, type: string): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
  if (type === 'money' && typeof value === 'string') return Number(value);
  if (Array.isArray(value)) return value.join(', ');
  return value;
}

const signed = (x: number): string => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(1)}`;

async function fitBreakdown(api: ApiContext, held: HeldVersion, id: string): Promise<FitBreakdown> {
  const { fit, missing } = await fitModel(api, held);
  if (fit === null) return { status: 'not_scored', reason: `No customer has a fit score in this import: ${missing ?? ''}` };
  const ctx = (await customerScores(api, held)).ctx;
  const [why] = await explainFit(ctx, fit, [id]);
  if (why === undefined) return { status: 'not_scored', reason: 'This customer has no fit score: the score needs a start (signup or first purchase) on or before as_of.' };
  const specs = new Map(fit.model.components.map((c) => [c.spec.key, c.spec]));
  const parts = why.parts.map((p) => ({ key: p.key, label: specs.get(p.key)?.label ?? p.key, unit: specs.get(p.key)?.unit ?? '', value: p.value === null ? null : Math.round(p.value * 1e4) / 1e4, points: Math.round(p.points * 100) / 100 }));
  const clipped = Math.abs(why.unclipped - why.score) > 1e-9 ? ` (${why.unclipped.toFixed(1)} before clipping to 0-100)` : '';
  const terms = why.parts.map((p) => `${signed(p.points)} ${specs.get(p.key)?.short ?? p.key}`);
  const sentence = `Fit score ${why.score.toFixed(1)}${clipped} = base ${why.base.toFixed(1)} ${terms.join(' ')}.`;
  return { status: 'scored', score: Math.round(why.score * 100) / 100, base: Math.round(why.base * 100) / 100, unclipped: Math.round(why.unclipped * 100) / 100, source: fit.model.source, parts, sentence };
}

/** The recorded changes whose segment holds this customer (a change without a segment touched everyone). */
async function touchingChanges(held: HeldVersion, columns: Parameters<typeof segmentCondition>[1], changes: readonly ChangeDefinition[], id: string, notes: string[]): Promise<TouchingChange[]> {
  const d = held.engine.dialect;
  const q = d.quoteIdent;
  const out: TouchingChange[] = [];
  for (const change of changes) {
    const shown = { name: change.name, date: change.date, segment: change.segment ?? null, description: change.description ?? null };
    if (change.segment === undefined) {
      out.push(shown);
      continue;
    }
    try {
      const condition = segmentCondition(change.segment, columns, held.engine);
      const values = new SqlValues(held.engine, 'api');
      const who = customerIdIn(held.engine, values, columns.find((c) => c.name === 'customer_id')?.type, [id]);
      const [row] = await held.engine.query(`SELECT count(*) AS ${q('_n')} FROM ${q('customer_facts')} WHERE ${who} AND ${condition.sql}`, { ...condition.params, ...values.params });
      if ((numberOf(row?.['_n']) ?? 0) > 0) out.push(shown);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      notes.push(`The change ${JSON.stringify(change.name)} was not checked: its segment rule does not fit this import (${error.message}).`);
    }
  }
  return out;
}

/**
 * Everything the API says about one customer: their customer_facts row
 * (personal attributes left out), scores, fit score taken apart, history by
 * month, survey answers and comments (masked), and the recorded changes
 * that touched them; null when the id is not a customer of this import.
 */
export async function customerDetail(api: ApiContext, held: HeldVersion, id: string): Promise<CustomerDetail | null> {
  const d = held.engine.dialect;
  const q = d.quoteIdent;
  const scores = await customerScores(api, held);
  const values = new SqlValues(held.engine, 'api');
  const idType = scores.ctx.facts.columns.find((c) => c.name === 'customer_id')?.type;
  const [factsRow] = await held.engine.query(`SELECT * FROM ${q('customer_facts')} WHERE ${customerIdIn(held.engine, values, idType, [id])}`, values.params);
  if (factsRow === undefined) return null;
  // The rest asked at once: the store answers one query at a time, so under load each query waits its turn, and
  // asked one after another they would wait as many turns (at a million customers and 50 clients, seconds).
  const notes: string[] = [...scores.notes];
  const [[scoreRow], survey, fit, history, changes] = await Promise.all([
    held.engine.query(`SELECT * FROM ${scores.relation} AS ${q('_sc')} WHERE ${q('_sc')}.${q('_x_id')} = ${values.bind(id)}`, { ...scores.params, ...values.params }),
    customerSurveyAnswers(held.engine, held.ledger, id),
    fitBreakdown(api, held, id),
    customerHistory(held.engine, held.ledger, id),
    api.workspace.changes().then((stored) => touchingChanges(held, scores.ctx.facts.columns, stored, id, notes)),
  ]);
  const { config } = await api.workspace.config();
  const personal = personalAttributes(config);
  const hiddenColumns = new Set(scores.ctx.facts.attributes.filter((a) => personal.has(a.source)).map((a) => a.name));
  const facts = scores.ctx.facts.columns.map((c): CustomerFact => {
    const hidden = hiddenColumns.has(c.name);
    return { name: c.name, value: hidden ? null : jsonValue(factsRow[c.name], c.type), unit: c.unit, description: c.description, hidden: hidden ? 'pii' : null };
  });
  return {
    id,
    scores: scoreRow === undefined ? customerRow({ _x_id: id }, scores) : customerRow(scoreRow, scores),
    facts,
    fit,
    history,
    survey: { total: survey.total, shown: survey.answers.length, answers: survey.answers },
    changes,
    notes,
  };
}
