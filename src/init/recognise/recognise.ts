import { findColumn, isDate, isNumber, knownValues } from '../propose/roles.js';
import type { FileInspection, Recognition } from '../types.js';
import { FINGERPRINTS, type Fingerprint, type Signal } from './fingerprints.js';

/** A lead or prospect list by its file name (whole words: "leads.csv", "prospects-q3.csv"). */
const PROSPECT_NAME = /(^|[^a-z])(prospects?|leads?)([^a-z]|$)/i;

export const PROSPECT_NOTE =
  'looks like a prospect/lead list (people who are not customers yet): score it against your ideal customer profile with `cxray score-prospects`';

/**
 * Which tool wrote a file: tool fingerprints first (the one with most hits
 * wins, at least `minHits`), then generic table signals. A file named like a
 * lead list, or a per-person table with no date and no activity, is a
 * prospect list and is left out.
 */
export function recognise(file: FileInspection): Recognition | undefined {
  if (PROSPECT_NAME.test(file.fileName)) {
    return { tool: 'prospects', label: 'Prospect list', tables: [], sourceName: 'prospects', evidence: [`file name "${file.fileName}"`], leaveOut: PROSPECT_NOTE };
  }
  let best: { fp: Fingerprint; hits: string[] } | undefined;
  for (const fp of FINGERPRINTS) {
    const hits = fp.signals.map((s) => signalHit(file, s)).filter((s): s is string => s !== undefined);
    if (hits.length < fp.minHits) continue;
    const better = best === undefined || hits.length > best.hits.length || (hits.length === best.hits.length && hits.length / fp.signals.length > best.hits.length / best.fp.signals.length);
    if (better) best = { fp, hits };
  }
  if (best !== undefined) {
    const { fp, hits } = best;
    return {
      tool: fp.tool,
      label: fp.label,
      tables: [...fp.tables],
      sourceName: fp.sourceName,
      evidence: hits,
      ...(fp.leaveOut === undefined ? {} : { leaveOut: fp.leaveOut }),
      ...(fp.advice === undefined ? {} : { advice: fp.advice }),
    };
  }
  return recogniseGeneric(file);
}

function signalHit(file: FileInspection, signal: Signal): string | undefined {
  const column = (names: readonly string[]) => file.columns.find((c) => names.includes(c.key));
  switch (signal.kind) {
    case 'header': {
      const c = column(signal.names);
      return c === undefined ? undefined : `header "${c.name}"`;
    }
    case 'prefix': {
      const n = file.columns.filter((c) => signal.prefix.test(c.key)).length;
      return n >= 2 ? signal.label : undefined;
    }
    case 'idPrefix': {
      const c = column(signal.names);
      if (c === undefined || c.values.length === 0) return undefined;
      const prefix = signal.prefixes.find((p) => c.values.filter((v) => v.startsWith(p)).length >= c.values.length * 0.8);
      return prefix === undefined ? undefined : `ids like ${prefix}…`;
    }
    case 'value': {
      const c = column(signal.names);
      return c !== undefined && c.values.length > 0 && c.values.every((v) => signal.pattern.test(v)) ? signal.label : undefined;
    }
    case 'firstHeader':
      return file.columns[0]?.key === signal.name ? `first header "${file.columns[0].name}"` : undefined;
    case 'questionHeaders': {
      const n = file.columns.filter((c) => isQuestionText(c.description ?? c.name)).length;
      return n > 0 ? `${n} question-text header(s)` : undefined;
    }
    case 'utf16':
      return file.encoding === 'utf-16' ? 'UTF-16 text' : undefined;
    case 'headerRows':
      return file.headerRows === signal.rows ? `${signal.rows} header rows` : undefined;
    case 'footers':
      return file.dropFooters ? 'report footer lines' : undefined;
  }
}

/** Header text that reads like a survey question. */
export function isQuestionText(text: string): boolean {
  const t = text.trim();
  return t.endsWith('?') || /^\d+\.\s/.test(t) || /^(how|what|why|please|rate|overall|would|did|do|was|were|which|on a scale)\b/i.test(t);
}

const TICKET_STATUS = /^(new|open|pending|on-hold|hold|solved|resolved|closed|snoozed|waiting on customer|escalated)$/i;
const SUBSCRIPTION_STATUS = /^(active|trialing|in_trial|past_due|canceled|cancelled|non_renewing|paused|expired|unpaid|future)$/i;

function recogniseGeneric(file: FileInspection): Recognition | undefined {
  const generic = (table: Recognition['tables'][number], sourceName: string, evidence: string[], extra: Recognition['tables'] = []): Recognition => ({
    tool: `generic-${table}`,
    label: `a ${table.replace('_', ' ')} table (no known tool)`,
    tables: [table, ...extra],
    sourceName,
    evidence,
  });
  const referrer = findColumn(file, 'referrer');
  const referred = findColumn(file, 'referred');
  if (referrer !== undefined && referred !== undefined) return generic('referrals', 'referrals', [`headers "${referrer.name}" and "${referred.name}"`]);

  const eventName = findColumn(file, 'eventName');
  const eventAt = findColumn(file, 'eventAt', isDate);
  if (eventName !== undefined && eventAt !== undefined) return generic('behaviour_events', 'events', [`event names in "${eventName.name}"`, `times in "${eventAt.name}"`]);

  const questions = file.columns.filter((c) => isQuestionText(c.description ?? c.name));
  const responseId = findColumn(file, 'responseId');
  if (questions.length >= 2 || (questions.length >= 1 && responseId !== undefined)) {
    return generic('survey_responses', 'survey', [`${questions.length} question column(s)`, ...(responseId === undefined ? [] : [`response ids in "${responseId.name}"`])]);
  }

  const status = findColumn(file, 'ticketStatus', (c) => knownValues(c).some((v) => TICKET_STATUS.test(v)) && !knownValues(c).some((v) => SUBSCRIPTION_STATUS.test(v)));
  const channel = findColumn(file, 'channel');
  const ticketId = findColumn(file, 'ticketId');
  if (status !== undefined && (channel !== undefined || ticketId !== undefined) && findColumn(file, 'amount', isNumber) === undefined) {
    return generic('interactions', 'tickets', [`ticket statuses in "${status.name}"`]);
  }

  const subStatus = findColumn(file, 'subscriptionStatus', (c) => knownValues(c).some((v) => SUBSCRIPTION_STATUS.test(v)));
  const ended = findColumn(file, 'subscriptionEnd');
  if (subStatus !== undefined && ended !== undefined) return generic('status_changes', 'subscriptions', [`statuses in "${subStatus.name}"`, `header "${ended.name}"`]);

  const amount = findColumn(file, 'amount', isNumber);
  const at = findColumn(file, 'transactionAt', isDate);
  if (amount !== undefined && at !== undefined) return generic('transactions', 'transactions', [`amounts in "${amount.name}"`, `dates in "${at.name}"`]);

  const id = findColumn(file, 'customerId', (c) => c.unique);
  const churn = findColumn(file, 'churnFlag', (c) => c.boolean !== undefined);
  if (id !== undefined || file.columns.some((c) => c.email && c.unique)) {
    const hasActivity = churn !== undefined || file.columns.some((c) => isDate(c) || /spent|spend|orders|purchases|charges|revenue|balance|tenure|visits|logins|payments/i.test(c.name));
    if (!hasActivity) {
      return { tool: 'prospects', label: 'Prospect list', tables: [], sourceName: 'prospects', evidence: ['one row per person, with no signup date and no activity'], leaveOut: PROSPECT_NOTE };
    }
    return generic('customers', 'customers', [id === undefined ? 'one row per e-mail' : `unique ids in "${id.name}"`], churn === undefined ? [] : ['status_changes']);
  }
  return undefined;
}
