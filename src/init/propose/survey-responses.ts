import { isQuestionText } from '../recognise/recognise.js';
import type { ColumnProfile } from '../types.js';
import { customerSpec } from './customer-ref.js';
import { FeedBuilder, commonlyBlank, dateSpec, type ProposeContext, type ProposedFeeds } from './draft.js';
import { findColumn, findColumns, isDate, knownValues } from './roles.js';

/** Survey-tool metadata columns (Qualtrics, SurveyMonkey, Typeform, Formbricks, Google Forms), not answers. */
const METADATA =
  /^(startdate|enddate|status|ipaddress|ip address|progress|duration \(in seconds\)|finished|recordeddate|responseid|response id|recipient(last|first)name|recipientemail|externalreference|external reference|location(latitude|longitude)|distributionchannel|userlanguage|respondent id|collector id|start date|end date|email address|first name|last name|custom data \d+|#|response type|start date \(utc\)|stage date \(utc\)|submit date \(utc\)|network id|tags|timestamp|no\.|survey id|formbricks id \(internal\)|user id|notes|url|country|source|verified email|language|score|useragent.*|user_id|email|hidden.*)$/;

export type Instrument = 'nps' | 'csat' | 'ces' | 'rating' | 'comment';

export interface QuestionGuess {
  column: ColumnProfile;
  instrument: Instrument;
  question: string;
  area?: string;
}

/** The question text: Qualtrics row 2, else the header (SurveyMonkey's merged " - Response" label dropped). */
function questionText(c: ColumnProfile): string {
  const text = c.description !== undefined && c.description !== '' ? c.description : c.name;
  return text.replace(/ - (Response|Open-Ended Response)$/i, '').trim();
}

/**
 * Which instrument a question column is: free text is a comment; scores
 * are NPS when the question asks about recommending (or the scale reaches
 * 9-10), CSAT when it asks about satisfaction, CES about ease or effort,
 * otherwise a rating. Choice questions (short text answers) are not scores.
 */
export function guessQuestion(c: ColumnProfile): QuestionGuess | undefined {
  const question = questionText(c);
  const area = areaOf(question);
  // A rating grid names the area after the stem ("Please rate - Ease of use"): judge the stem only.
  const stem = (area === undefined ? question : question.slice(0, question.lastIndexOf(' - '))).toLowerCase();
  const numeric = c.number !== undefined && c.values.length > 0;
  if (!numeric && c.values.length > 0) {
    const named = /_text$|open-ended|comment/i.test(c.name) || /comment|reason|why|anything else|feedback|improve|better|suggest|review text|tell us/.test(stem);
    const varied = c.distinct === c.values.length && averageLength(c.values) > 12;
    if (named || varied || averageLength(c.values) > 25) return { column: c, instrument: 'comment', question };
    return undefined;
  }
  if (!numeric) return undefined;
  const max = c.number?.max ?? 0;
  const min = c.number?.min ?? 0;
  if (min < 0 || max > 10) return undefined;
  let instrument: Instrument = 'rating';
  if (/recommend/.test(stem) || (max > 7 && !/satisf|eas(y|ier)|effort/.test(stem))) instrument = 'nps';
  else if (/satisf/.test(stem)) instrument = 'csat';
  else if (/\beas(y|ier|e)\b|effort/.test(stem)) instrument = 'ces';
  const guess: QuestionGuess = { column: c, instrument, question };
  if (instrument !== 'nps' && area !== undefined) guess.area = area;
  return guess;
}

/** "Please rate - Billing" -> "Billing" (matrix rows and rating grids name the area after a dash). */
function areaOf(question: string): string | undefined {
  const parts = question.split(/ - /);
  if (parts.length < 2) return undefined;
  const last = parts[parts.length - 1]?.trim() ?? '';
  return last === '' || last.length > 60 ? undefined : last;
}

function averageLength(values: readonly string[]): number {
  return values.length === 0 ? 0 : values.reduce((s, v) => s + v.length, 0) / values.length;
}

/**
 * survey_responses from a wide export: one `unpivot` entry per answer
 * column, with the instrument, the question text and the experience area;
 * survey previews left out.
 */
export function proposeSurveyResponses(ctx: ProposeContext): ProposedFeeds {
  const { file, customer } = ctx;
  if (customer === undefined) return { feeds: [], remarks: [], facts: {}, leaveOut: 'no column names the respondent as a customer (add a hidden field or embedded data with your customer id)' };
  const feed = new FeedBuilder('survey_responses');
  const remarks: string[] = [];
  const id = findColumn(file, 'responseId', (c) => c !== customer.column);
  if (id !== undefined) feed.column('response_id', id.name, id.values[0]?.startsWith('R_') === true ? 'Qualtrics response ids (not customers)' : undefined);
  feed.column('customer_id', customerSpec(customer), customer.note);
  const at = findColumn(file, 'responseAt', isDate) ?? file.columns.find((c) => isDate(c) && /date|time|submit|record/.test(c.key));
  if (at === undefined) return { feeds: [], remarks: [], facts: {}, leaveOut: 'no response date was recognised' };
  const d = dateSpec(at);
  feed.column('at', d.spec, d.note);
  if (at.timeZone !== undefined && at.timeZone !== 'UTC') {
    remarks.push(`CHECK: the survey tool wrote ${at.name} in ${at.timeZone} (header row 3); set the workspace \`timezone: ${at.timeZone}\` if your other exports use it too.`);
  }

  const preview = file.columns.find((c) => /^(status|response type|distributionchannel)$/.test(c.key) && knownValues(c).some((v) => /preview|^ip address$/i.test(v)));
  if (preview !== undefined) {
    const previews = [...new Set(['Survey Preview', ...knownValues(preview).filter((v) => /preview/i.test(v))])];
    feed.where({ column: preview.name, not_in: previews }, 'test responses from the survey editor are not customers');
  }

  const used = new Set<ColumnProfile>([customer.column, at, ...(id === undefined ? [] : [id]), ...(preview === undefined ? [] : [preview])]);
  const emails = findColumns(file, 'email');
  const hasImportIds = file.columns.some((c) => c.importId !== undefined);
  const candidates = file.columns.filter((c) => {
    if (used.has(c) || emails.includes(c) || c.name === '') return false;
    if (/_nps_group$|nps_group/i.test(c.name)) return false;
    if (hasImportIds) return c.importId?.startsWith('QID') === true;
    return !METADATA.test(c.key) && !isDate(c) && !c.email;
  });
  const unpivot: NonNullable<typeof feed.feed.unpivot> = {};
  const areas: string[] = [];
  const skipped: string[] = [];
  for (const c of candidates) {
    const q = guessQuestion(c);
    if (q === undefined) {
      if (c.values.length > 0 && (isQuestionText(questionText(c)) || hasImportIds)) skipped.push(c.name);
      continue;
    }
    unpivot[c.name] = { instrument: q.instrument, question: q.question, ...(q.area === undefined ? {} : { area: q.area }) };
    if (q.area !== undefined && !areas.includes(q.area)) areas.push(q.area);
  }
  if (Object.keys(unpivot).length === 0) return { feeds: [], remarks: [], facts: {}, leaveOut: 'no score or comment columns were recognised' };
  feed.feed.unpivot = unpivot;
  feed.note(['unpivot'], 'one response row per non-blank answer; CHECK each instrument (nps 0-10, csat, ces, rating, comment) and area');
  if (skipped.length > 0) remarks.push(`Not mapped (choice answers, not scores): ${skipped.join(', ')}.`);
  if (commonlyBlank(customer.column)) feed.where({ column: customer.column.name, nonblank: true }, 'anonymous responses are left out');
  return { feeds: [feed], remarks, facts: { surveyAreas: areas, dates: at.values }, ...(id?.unique === true ? { rowKey: [id.name] } : {}) };
}
