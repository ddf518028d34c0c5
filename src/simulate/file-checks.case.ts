import { readFileSync } from 'node:fs';
import type { QuarantineReason } from '../model/ledger.js';
import { CHANNELS, CONTRACTS, EXPERIMENT_GROUPS, PLANS, REGIONS, SEGMENTS } from './acquisition.js';
import { CHARGE_TYPES } from './billing.js';
import type { FileKey } from './files.js';

/**
 * Test support (not built): reads a written file back as bytes, splits it
 * into RFC 4180 records with the physical line each starts on, and checks
 * every record the way a strict ingest would, independently of the
 * generator's own bookkeeping.
 */
export interface RawRecord {
  line: number;
  raw: Buffer;
  /** Decoded text, or null when the bytes are not valid UTF-8. */
  text: string | null;
  fields: string[];
  unterminated: boolean;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

function parseFields(text: string): { fields: string[]; unterminated: boolean } {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 1;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      fields.push(field);
      field = '';
    } else field += ch;
  }
  fields.push(field);
  return { fields, unterminated: quoted };
}

/** Every record of a CSV file (header rows included), split on newlines outside quotes. */
export function readRecords(path: string): RawRecord[] {
  const bytes = readFileSync(path);
  const records: RawRecord[] = [];
  let start = 0;
  let line = 1;
  let startLine = 1;
  let quoted = false;
  for (let i = 0; i < bytes.length; i += 1) {
    const b = bytes[i];
    if (b === 0x22) quoted = !quoted;
    else if (b === 0x0a) {
      if (!quoted) {
        records.push(makeRecord(bytes.subarray(start, i), startLine));
        start = i + 1;
        startLine = line + 1;
      }
      line += 1;
    }
  }
  if (start < bytes.length) records.push(makeRecord(bytes.subarray(start), startLine));
  return records;
}

function makeRecord(raw: Buffer, line: number): RawRecord {
  let text: string | null;
  try {
    text = decoder.decode(raw);
  } catch {
    text = null;
  }
  const { fields, unterminated } = parseFields(text ?? raw.toString('latin1'));
  return { line, raw, text, fields, unterminated };
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})(?::(\d{2}))?$/;

export function isValidDateTime(text: string, withSeconds: boolean): boolean {
  const m = DATE_TIME.exec(text);
  if (m === null || (m[6] === undefined) === withSeconds) return false;
  const [y, mo, d, h, mi] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5])];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi));
  return date.getUTCMonth() === mo - 1 && date.getUTCDate() === d && h < 24 && mi < 60 && Number(m[6] ?? 0) < 60;
}

export function isValidDate(text: string): boolean {
  return isValidDateTime(`${text} 00:00`, false);
}

const MONEY = /^\d+\.\d{2}$/;

export interface CheckContext {
  recordIds: Set<string>;
  emails: Set<string>;
}

/** The quarantine reasons a strict ingest would give this data record (empty = clean). */
export function defectsOf(file: FileKey, header: readonly string[], record: RawRecord, ctx: CheckContext): QuarantineReason[] {
  if (record.text === null) return ['bad_encoding'];
  if (record.unterminated) return ['unterminated_quote'];
  if (record.fields.length !== header.length) return ['wrong_column_count'];
  const get = (column: string): string => record.fields[header.indexOf(column)] ?? '';
  const out = new Set<QuarantineReason>();
  const need = (ok: boolean, reason: QuarantineReason): void => {
    if (!ok) out.add(reason);
  };
  const known = (id: string): void => {
    if (id === '') out.add('missing_value');
    else need(ctx.recordIds.has(id), 'unknown_customer');
  };
  switch (file) {
    case 'contacts':
      need(get('Record ID') !== '', 'missing_value');
      need(isValidDateTime(get('Create Date'), false), 'bad_date');
      need((SEGMENTS as readonly string[]).includes(get('Segment')), 'invalid_value');
      need((CHANNELS as readonly string[]).includes(get('Acquisition Channel')), 'invalid_value');
      need((CONTRACTS as readonly string[]).includes(get('Contract Type')), 'invalid_value');
      need((PLANS as readonly string[]).includes(get('Plan')), 'invalid_value');
      need((REGIONS as readonly string[]).includes(get('Region')), 'invalid_value');
      need((EXPERIMENT_GROUPS as readonly string[]).includes(get('Experiment Group')), 'invalid_value');
      need(/^\d+$/.test(get('Age')), 'not_a_number');
      break;
    case 'payments': {
      need(isValidDateTime(get('Created date (UTC)'), true), 'bad_date');
      const amount = get('Amount');
      if (amount.startsWith('-') && MONEY.test(amount.slice(1))) out.add('negative_amount');
      else need(MONEY.test(amount), 'not_a_number');
      need(MONEY.test(get('Amount Refunded')), 'not_a_number');
      need((CHARGE_TYPES as readonly string[]).includes(get('charge_type (metadata)')), 'invalid_value');
      const email = get('Customer Email').trim().toLowerCase();
      if (email === '') out.add('missing_value');
      else need(ctx.emails.has(email), 'unknown_customer');
      break;
    }
    case 'subscriptions': {
      for (const c of ['Created (UTC)', 'Start (UTC)']) need(isValidDateTime(get(c), false), 'bad_date');
      for (const c of ['Canceled At (UTC)', 'Ended At (UTC)']) need(get(c) === '' || isValidDateTime(get(c), false), 'bad_date');
      need(ctx.emails.has(get('Customer Email').trim().toLowerCase()), 'unknown_customer');
      break;
    }
    case 'tickets':
      known(get('Requester external id'));
      need(isValidDateTime(get('Created at'), true), 'bad_date');
      need(get('Solved at') === '' || isValidDateTime(get('Solved at'), true), 'bad_date');
      need(get('Full resolution time in minutes') === '' || /^\d+$/.test(get('Full resolution time in minutes')), 'not_a_number');
      break;
    case 'survey':
      if (get('Status') !== 'IP Address') break;
      known(get('ExternalReference'));
      for (const c of ['StartDate', 'EndDate', 'RecordedDate']) need(isValidDateTime(get(c), true), 'bad_date');
      need(/^(10|\d)$/.test(get('Q1')), 'not_a_number');
      for (let k = 1; k <= 8; k += 1) need(/^[1-5]$/.test(get(`Q2_${k}`)), 'not_a_number');
      need(/^[1-5]$/.test(get('Q3')), 'not_a_number');
      break;
    case 'events': {
      known(get('user_id'));
      const ts = get('event_timestamp');
      need(/^\d{16}$/.test(ts), 'bad_date');
      if (/^\d{16}$/.test(ts)) {
        const day = new Date(Number(BigInt(ts) / 1000n)).toISOString().slice(0, 10).replaceAll('-', '');
        need(day === get('event_date'), 'bad_date');
      }
      break;
    }
    case 'referrals':
      known(get('referrer_id'));
      known(get('referred_id'));
      need(isValidDate(get('referred_at')), 'bad_date');
      break;
    default:
      break;
  }
  return [...out];
}

/** The row key a file's records are unique by, if any. */
export const ROW_KEYS: Partial<Record<FileKey, string>> = {
  contacts: 'Record ID',
  payments: 'id',
  subscriptions: 'id',
  tickets: 'Id',
  survey: 'ResponseId',
};
