import { snakeName, uniqueName } from '../names.js';
import type { ColumnProfile, FileInspection } from '../types.js';
import { FeedBuilder, dateSpec, type AttributeFact, type ProposeContext, type ProposedFeeds, type Spec } from './draft.js';
import { isBirthDate, isPersonalColumn } from './pii.js';
import { findColumn, isDate, knownValues } from './roles.js';

/** Attributes known when a customer is acquired: usable for prospects and the ideal profile. */
const ACQUISITION =
  /segment|region|country|state|province|city|industry|channel|acquisition|source|campaign|contract|plan|tier|gender|^age$|age ?group|senior|partner|dependents|geography|company size|employees|lead source|referr/;
const MONEY = /charge|amount|price|revenue|spend|spent|balance|salary|income|total|cost|fee|value|payment|volume|loss|(^|[ _])(ltv|mrr|arr)($|[ _])/;
/** Counts are not money even when their name says total or payment. */
const COUNT = /count|orders|number|(^|[ _])num|qty|quantity|products|times/;

/** The column identifying a customer in a customers file. */
export function chooseCustomerId(file: FileInspection): ColumnProfile | undefined {
  return (
    findColumn(file, 'customerId', (c) => c.unique && !c.email) ??
    file.columns.find((c) => /^(record id|contact id|id)$/.test(c.key) && c.unique) ??
    file.columns.find((c) => c.email && c.unique)
  );
}

export function chooseEmail(file: FileInspection, exclude?: ColumnProfile): ColumnProfile | undefined {
  return findColumn(file, 'email', (c) => c.email && c !== exclude) ?? file.columns.find((c) => c.email && c !== exclude);
}

/** A running row number (RowNumber 1, 2, 3...) says nothing about the customer. */
function isRowNumber(c: ColumnProfile): boolean {
  if (/^(row ?number|row|index|no\.?|rownum|unnamed: 0)$/.test(c.key)) return true;
  return c.unique && c.values.length >= 3 && c.values.every((v, i) => v === String(i + 1));
}

/**
 * customers: the id, a signup date (or one derived from a tenure in months),
 * an `email` key, and every other non-personal column as a typed attribute;
 * a churn flag (Churn Yes/No, Exited 1/0) also feeds status_changes at as_of.
 */
export function proposeCustomers(ctx: ProposeContext, id: ColumnProfile): ProposedFeeds {
  const { file } = ctx;
  const remarks: string[] = [];
  const feed = new FeedBuilder('customers');
  feed.column('customer_id', id.name, `unique in the sample, e.g. ${id.values[0] ?? ''}`);

  const used = new Set<ColumnProfile>([id]);
  const signup = findColumn(file, 'signupAt', isDate) ?? file.columns.find((c) => isDate(c) && /creat|sign|join|since|regist/.test(c.key));
  const tenure = findColumn(file, 'tenure', (c) => c.number?.integer === true);
  if (signup !== undefined) {
    const d = dateSpec(signup);
    feed.column('signup_at', d.spec, d.note);
    used.add(signup);
  } else if (tenure !== undefined && (tenure.number?.max ?? 0) > 15) {
    feed.column('signup_at', { column: tenure.name, months_before_as_of: true }, `no signup date: ${tenure.name} (up to ${tenure.number?.max ?? '?'}) read as months as a customer, counted back from as_of`);
  } else if (tenure !== undefined) {
    remarks.push(`${tenure.name} only reaches ${tenure.number?.max ?? '?'}: probably years, so no signup date is derived from it (the mapping derives from months only).`);
  } else {
    remarks.push('No signup date in this file: analyses that need customer age (cohorts, lifetime value) will date customers by their first transaction, if any.');
  }

  const email = chooseEmail(file, id);
  if (email !== undefined) {
    feed.feed.keys = { email: email.name };
    feed.note(['keys', 'email'], 'other files can join customers by this e-mail (compared trimmed and lower-cased)');
    used.add(email);
  }

  const churn = findColumn(file, 'churnFlag', (c) => c.boolean !== undefined);
  const attributes: Record<string, Spec> = {};
  const facts: AttributeFact[] = [];
  const taken = new Set(['customer_id', 'signup_at']);
  for (const c of file.columns) {
    if (!used.has(c) && c.date !== undefined && isBirthDate(c)) {
      const name = uniqueName('age', taken);
      attributes[name] = { column: c.name, type: 'age', format: c.date.format };
      facts.push({ name, column: c, type: 'age', atAcquisition: false, values: [] });
      feed.note(['attributes', name], `whole years from ${c.name} to as_of; the birth date itself is not stored`);
      continue;
    }
    if (used.has(c) || c.name === '' || isPersonalColumn(c) || isRowNumber(c)) continue;
    const name = uniqueName(snakeName(c.name), taken);
    const atAcquisition = ACQUISITION.test(c.key) && !MONEY.test(c.key);
    const { spec, type, note, values } = attributeOf(c, atAcquisition);
    attributes[name] = spec;
    facts.push({ name, column: c, type, atAcquisition, values });
    if (note !== undefined) feed.note(['attributes', name], note);
  }
  if (Object.keys(attributes).length > 0) feed.feed.attributes = attributes;

  const feeds = [feed];
  if (churn !== undefined && churn.boolean !== undefined) {
    const yes = Object.entries(churn.boolean.map).filter(([, v]) => v).map(([k]) => k);
    const status = new FeedBuilder('status_changes')
      .column('customer_id', id.name)
      .column('at', { value: '$as_of' }, 'the file has no churn date: churn is dated at as_of (set as_of to the export date)')
      .column('status', { value: 'churned' })
      .where({ column: churn.name, in: yes }, `${churn.name} = ${yes.join('/')} marks a customer who left`);
    feeds.push(status);
  }
  return { feeds, remarks, facts: { attributes: facts }, rowKey: [id.name] };
}

function attributeOf(c: ColumnProfile, atAcquisition: boolean): { spec: Spec; type: string; note?: string; values: (string | boolean)[] } {
  const acq = atAcquisition ? { at_acquisition: true } : {};
  const distinct = knownValues(c);
  if (c.boolean !== undefined) {
    const map = c.boolean.map;
    return {
      spec: { column: c.name, type: 'boolean', map, ...acq },
      type: 'boolean',
      note: `${Object.keys(map).join('/')} read as true/false`,
      values: [...new Set(Object.values(map))],
    };
  }
  if (c.date !== undefined) return { spec: { column: c.name, type: 'date', format: c.date.format, ...acq }, type: 'date', note: c.date.note, values: [] };
  // Numbers that name things (ids, codes, zip codes) are text: their digits are not quantities.
  if (c.number !== undefined && !/(^|[ _])id$|[a-z]id$|number$|code$|zip|postal|phone/.test(c.key)) {
    const money = (MONEY.test(c.key) && !COUNT.test(c.key)) || c.number.symbol !== undefined;
    const type = money ? 'money' : c.number.integer ? 'integer' : 'number';
    const decimal = c.number.decimal === ',' ? { decimal: ',' } : {};
    const blanks = c.blanks > 0 || c.whitespaceOnly.length > 0 ? `; ${c.blanks} blank value(s) in the sample load as NULL` : '';
    return { spec: { column: c.name, type, ...decimal, ...acq }, type, ...(blanks === '' ? {} : { note: blanks.slice(2) }), values: [] };
  }
  const spec: Spec = atAcquisition ? { column: c.name, ...acq } : c.name;
  return { spec, type: 'string', values: distinct };
}
