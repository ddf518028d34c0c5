import type { Rng } from '../simulate/random.js';

/**
 * What a column holds, so a defect can aim at the right cells: a bad date
 * goes into a date column, a formula into free text, a bad amount into money.
 */
export type ColumnRole = 'id' | 'customer' | 'email' | 'text' | 'date' | 'amount' | 'number' | 'enum' | 'bool' | 'score';

/** A well-formed export before any defect: header rows, one role per column, data rows. */
export interface ExportTable {
  base: BaseExportName;
  fileName: string;
  /** Header records (Qualtrics writes three); the first holds the names. */
  header: string[][];
  roles: ColumnRole[];
  rows: string[][];
}

export const BASE_EXPORTS = ['stripe-payments', 'stripe-customers', 'hubspot-contacts', 'zendesk-tickets', 'qualtrics-survey'] as const;
export type BaseExportName = (typeof BASE_EXPORTS)[number];

const FIRST = ['Ava', 'Ben', 'Chloe', 'Dev', 'Émile', 'Fatima', 'Göran', 'Hana', 'Iñigo', 'Jon', 'Keiko', 'Liam'];
const LAST = ['Lindqvist', 'Okafor', 'Nguyen', 'Patel', 'Müller', "O'Brien", 'Smith, Jr.', 'Kowalski', 'Søren', 'Zhou'];
const SUBJECTS = ['Slow connection', 'Late fee?', 'Router "blinking"', 'Paper bill, again', 'Cancel my plan', 'Wrong charge\nsee attached', 'Login', 'Refund please'];
const COMMENTS = ['Quick and friendly', 'Took three calls, "fixed" nothing', 'Fine', 'Great, thanks!', 'Never again\nreally', ''];

/** A date-time in 2024-2026 as `YYYY-MM-DD HH:MM[:SS]`. */
function dateTime(rng: Rng, seconds: boolean): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  const base = `${rng.int(2024, 2026)}-${p(rng.int(1, 12))}-${p(rng.int(1, 28))} ${p(rng.int(0, 23))}:${p(rng.int(0, 59))}`;
  return seconds ? `${base}:${p(rng.int(0, 59))}` : base;
}

const money = (rng: Rng, max: number): string => (rng.int(0, max * 100) / 100).toFixed(2);

interface Column {
  name: string;
  role: ColumnRole;
  cell: (rng: Rng, row: number, person: Person) => string;
}

interface Person {
  id: number;
  first: string;
  last: string;
  email: string;
}

function person(rng: Rng, row: number): Person {
  const first = rng.pick(FIRST);
  const last = rng.pick(LAST);
  return { id: 1000 + row, first, last, email: `${first.normalize('NFD').replace(/[^A-Za-z]/g, '').toLowerCase()}.${row}@example.com` };
}

/** Header spellings from ../shared/EXPORTS.md (and the fixtures in test/fixtures/exports). */
const SHAPES: Record<BaseExportName, { fileName: string; columns: Column[]; extraHeader?: (names: string[]) => string[][] }> = {
  'stripe-payments': {
    fileName: 'unified_payments.csv',
    columns: [
      { name: 'id', role: 'id', cell: (rng) => `ch_${rng.alnum(24)}` },
      { name: 'Description', role: 'text', cell: (_, row) => `Invoice 5A1B-${String(row).padStart(4, '0')}` },
      { name: 'Created (UTC)', role: 'date', cell: (rng) => dateTime(rng, false) },
      { name: 'Amount', role: 'amount', cell: (rng) => money(rng, 500) },
      { name: 'Amount Refunded', role: 'amount', cell: (rng) => (rng.chance(0.15) ? money(rng, 50) : '0.00') },
      { name: 'Currency', role: 'enum', cell: () => 'usd' },
      { name: 'Fee', role: 'amount', cell: (rng) => money(rng, 10) },
      { name: 'Status', role: 'enum', cell: (rng) => rng.pick(['Paid', 'Paid', 'Paid', 'Refunded', 'Failed']) },
      { name: 'Customer ID', role: 'customer', cell: (_, __, p) => `cus_${String(p.id).padStart(14, '0')}` },
      { name: 'Customer Email', role: 'email', cell: (_, __, p) => p.email },
    ],
  },
  'stripe-customers': {
    fileName: 'customers.csv',
    columns: [
      { name: 'id', role: 'id', cell: (_, __, p) => `cus_${String(p.id).padStart(14, '0')}` },
      { name: 'Description', role: 'text', cell: (_, __, p) => `${p.first} ${p.last[0] ?? ''}.` },
      { name: 'Email', role: 'email', cell: (_, __, p) => p.email },
      { name: 'Name', role: 'text', cell: (_, __, p) => `${p.first} ${p.last}` },
      { name: 'Created (UTC)', role: 'date', cell: (rng) => dateTime(rng, false) },
      { name: 'Delinquent', role: 'bool', cell: (rng) => (rng.chance(0.2) ? 'true' : 'false') },
      { name: 'Plan', role: 'enum', cell: (rng) => rng.pick(['basic-monthly', 'pro-monthly', 'pro-annual']) },
      { name: 'Status', role: 'enum', cell: (rng) => rng.pick(['active', 'past_due', 'canceled']) },
      { name: 'Total Spend', role: 'amount', cell: (rng) => money(rng, 2000) },
    ],
  },
  'hubspot-contacts': {
    fileName: 'hubspot-crm-exports-all-contacts-2026-03-01.csv',
    columns: [
      { name: 'Record ID', role: 'id', cell: (_, __, p) => String(p.id) },
      { name: 'First Name', role: 'text', cell: (_, __, p) => p.first },
      { name: 'Last Name', role: 'text', cell: (_, __, p) => p.last },
      { name: 'Email', role: 'email', cell: (_, __, p) => p.email },
      { name: 'Phone Number', role: 'text', cell: (rng) => (rng.chance(0.3) ? '' : `+1 555 ${rng.digits(4)}`) },
      { name: 'Contact owner', role: 'enum', cell: (rng) => rng.pick(['Maya Ortiz', 'Jon Reyes']) },
      { name: 'Lead Status', role: 'enum', cell: (rng) => rng.pick(['New', 'Connected', 'Open deal', 'Unqualified']) },
      { name: 'Create Date', role: 'date', cell: (rng) => dateTime(rng, false) },
      { name: 'Annual Revenue', role: 'number', cell: (rng) => String(rng.int(0, 5_000_000)) },
      { name: 'Associated Company', role: 'text', cell: (_, __, p) => `${p.last} Ltd` },
    ],
  },
  'zendesk-tickets': {
    fileName: 'zendesk-tickets.csv',
    columns: [
      { name: 'Summation column', role: 'text', cell: () => '' },
      { name: 'Id', role: 'id', cell: (_, row) => String(3400 + row) },
      { name: 'Requester', role: 'text', cell: (_, __, p) => `${p.first} ${p.last}` },
      { name: 'Requester id', role: 'customer', cell: (_, __, p) => `3617180${p.id}` },
      { name: 'Requester email', role: 'email', cell: (_, __, p) => p.email },
      { name: 'Subject', role: 'text', cell: (rng) => rng.pick(SUBJECTS) },
      { name: 'Status', role: 'enum', cell: (rng) => rng.pick(['Open', 'Pending', 'Solved', 'Closed']) },
      { name: 'Priority', role: 'enum', cell: (rng) => rng.pick(['Low', 'Normal', 'High']) },
      { name: 'Via', role: 'enum', cell: (rng) => rng.pick(['Phone call', 'Mail', 'Chat', 'Web form']) },
      { name: 'Created at', role: 'date', cell: (rng) => dateTime(rng, true) },
      { name: 'Solved at', role: 'date', cell: (rng) => (rng.chance(0.4) ? '' : dateTime(rng, true)) },
      { name: 'Satisfaction Score', role: 'enum', cell: (rng) => rng.pick(['Good', 'Bad', 'Offered', 'Unoffered']) },
      { name: 'Replies', role: 'number', cell: (rng) => String(rng.int(0, 9)) },
    ],
  },
  'qualtrics-survey': {
    fileName: 'qualtrics-responses.csv',
    columns: [
      { name: 'StartDate', role: 'date', cell: (rng) => dateTime(rng, true) },
      { name: 'EndDate', role: 'date', cell: (rng) => dateTime(rng, true) },
      { name: 'Status', role: 'enum', cell: () => 'IP Address' },
      { name: 'Progress', role: 'number', cell: () => '100' },
      { name: 'Duration (in seconds)', role: 'number', cell: (rng) => String(rng.int(20, 900)) },
      { name: 'Finished', role: 'bool', cell: () => '1' },
      { name: 'RecordedDate', role: 'date', cell: (rng) => dateTime(rng, true) },
      { name: 'ResponseId', role: 'id', cell: (rng) => `R_${rng.alnum(15)}` },
      { name: 'RecipientEmail', role: 'email', cell: (_, __, p) => p.email },
      { name: 'ExternalReference', role: 'customer', cell: (_, __, p) => `C-${p.id}` },
      { name: 'Q1', role: 'score', cell: (rng) => String(rng.int(0, 10)) },
      { name: 'Q2', role: 'score', cell: (rng) => String(rng.int(1, 5)) },
      { name: 'Q3_TEXT', role: 'text', cell: (rng) => rng.pick(COMMENTS) },
    ],
    extraHeader: (names) => [
      names.map((n) =>
        n === 'Q1' ? 'How likely are you to recommend us to a friend or colleague?' : n === 'Q2' ? 'How satisfied are you with support?' : n === 'Q3_TEXT' ? 'Anything else?' : n.replace(/([a-z])([A-Z])/g, '$1 $2'),
      ),
      names.map((n) => JSON.stringify({ ImportId: n === 'ResponseId' ? '_recordId' : n.includes('Date') ? n[0]?.toLowerCase() + n.slice(1) : n.startsWith('Q') ? `QID${n.slice(1, 2)}` : n.toLowerCase(), ...(n.includes('Date') ? { timeZone: 'America/Denver' } : {}) })),
    ],
  },
};

/**
 * A realistic export of `rows` rows: every cell from the seeded stream, so
 * a file is a pure function of the seed.
 */
export function baseExport(rng: Rng, base: BaseExportName, rows: number): ExportTable {
  const shape = SHAPES[base];
  const names = shape.columns.map((c) => c.name);
  const body: string[][] = [];
  for (let row = 1; row <= rows; row += 1) {
    const p = person(rng, row);
    body.push(shape.columns.map((c) => c.cell(rng, row, p)));
  }
  return { base, fileName: shape.fileName, header: [names, ...(shape.extraHeader?.(names) ?? [])], roles: shape.columns.map((c) => c.role), rows: body };
}
