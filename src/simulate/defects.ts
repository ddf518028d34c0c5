import type { QuarantineReason } from '../model/ledger.js';
import { csvField, csvLine } from './csv-writer.js';
import { HEADERS, SURVEY_HEADER_ROWS, type FileKey } from './files.js';
import { IdFactory } from './ids.js';
import type { Rng } from './random.js';

/**
 * Planted bad rows, built from the clean row just written (so they look
 * like their neighbours) with exactly one defect each. Every bad row gets a
 * fresh key (charge id, ticket id, ResponseId, Record ID) so it never
 * collides with a clean row, except the conflicting-duplicate pairs, which
 * collide with each other on purpose.
 */
export interface DefectContext {
  rng: Rng;
  ids: IdFactory;
  /** A fresh serial for unknown or quarantined keys. */
  serial(): number;
}

/** One planted record: a text line, or bytes for the row that is not valid UTF-8. */
export type PlantedRecord = string | Buffer;

const BAD_DATES = ['2025-13-45 10:00:00', 'not a date'];
const BAD_MINUTE_DATES = ['2025-13-45 10:00', 'not a date'];

function columns(file: FileKey): readonly string[] {
  return file === 'survey' ? (SURVEY_HEADER_ROWS[0] ?? []) : HEADERS[file];
}

function setter(file: FileKey, fields: string[]): (column: string, value: string) => void {
  const names = columns(file);
  return (column, value) => {
    const index = names.indexOf(column);
    if (index < 0) throw new Error(`${file} has no column ${column}`);
    fields[index] = value;
  };
}

function getter(file: FileKey, fields: readonly string[]): (column: string) => string {
  const names = columns(file);
  return (column) => fields[names.indexOf(column)] ?? '';
}

const unknownEmail = (serial: number): string => `unknown.person${serial}@example.com`;

/** A fresh key for a planted row, so it never collides with a clean row. */
function freshKey(file: FileKey, set: (c: string, v: string) => void, ctx: DefectContext): void {
  switch (file) {
    case 'contacts': {
      const serial = ctx.serial();
      set('Record ID', IdFactory.quarantinedRecordId(serial));
      set('Email', `quarantined.contact${serial}@example.com`);
      return;
    }
    case 'payments':
      set('id', ctx.ids.chargeId());
      return;
    case 'subscriptions':
      set('id', ctx.ids.subscriptionId());
      return;
    case 'tickets':
      set('Id', ctx.ids.ticketId());
      return;
    case 'survey':
      set('ResponseId', ctx.ids.responseId());
      return;
    default:
      return;
  }
}

/** Records (one, or two for a conflicting duplicate) carrying `reason`. */
export function buildDefect(file: FileKey, reason: QuarantineReason, template: readonly string[], ctx: DefectContext): PlantedRecord[] {
  const fields = [...template];
  const set = setter(file, fields);
  const get = getter(file, fields);
  freshKey(file, set, ctx);
  const badDate = ctx.rng.pick(BAD_DATES);
  switch (reason) {
    case 'wrong_column_count':
      return [csvLine([...fields, 'extra'])];
    case 'missing_value': {
      const column = file === 'contacts' ? 'Record ID' : file === 'payments' ? 'Customer Email' : 'user_id';
      set(column, '');
      return [csvLine(fields)];
    }
    case 'unknown_customer': {
      const serial = ctx.serial();
      const id = IdFactory.unknownRecordId(serial);
      if (file === 'payments' || file === 'subscriptions') {
        set('Customer ID', `cus_${ctx.rng.alnum(14)}`);
        set('Customer Email', unknownEmail(serial));
      } else if (file === 'tickets') {
        set('Requester external id', id);
        set('Requester email', unknownEmail(serial));
        set('Requester id', String(399_000_000_000 + serial));
      } else if (file === 'survey') {
        set('ExternalReference', id);
        set('RecipientEmail', unknownEmail(serial));
      } else if (file === 'events') {
        set('user_id', id);
      } else if (file === 'referrals') {
        set('referred_id', id);
      }
      return [csvLine(fields)];
    }
    case 'bad_date':
      if (file === 'contacts') set('Create Date', ctx.rng.pick(BAD_MINUTE_DATES));
      else if (file === 'payments') set('Created date (UTC)', badDate);
      else if (file === 'tickets') set('Created at', badDate);
      else if (file === 'survey') for (const c of ['StartDate', 'EndDate', 'RecordedDate']) set(c, badDate);
      else if (file === 'subscriptions') {
        const bad = ctx.rng.pick(BAD_MINUTE_DATES);
        set('Status', 'canceled');
        for (const c of ['Created (UTC)', 'Start (UTC)', 'Canceled At (UTC)', 'Ended At (UTC)']) set(c, bad);
      }
      return [csvLine(fields)];
    case 'not_a_number':
      if (file === 'payments') set('Amount', ctx.rng.pick(['12..50', '4O.00']));
      else if (file === 'survey') set('Q1', 'ten');
      return [csvLine(fields)];
    case 'negative_amount':
      set('Amount', '-25.00');
      set('Amount Refunded', '0.00');
      set('charge_type (metadata)', 'one_off');
      set('Description', 'Adjustment');
      set('product (metadata)', 'adjustment');
      return [csvLine(fields)];
    case 'conflicting_duplicate': {
      const first = csvLine(fields);
      if (file === 'contacts') set('Segment', get('Segment') === 'smb' ? 'enterprise' : 'smb');
      else if (file === 'payments') set('Amount', get('Amount') === '10.00' ? '20.00' : '10.00');
      else if (file === 'tickets') set('Priority', get('Priority') === 'Urgent' ? 'Low' : 'Urgent');
      else if (file === 'survey') set('Q1', get('Q1') === '0' ? '10' : '0');
      return [first, csvLine(fields)];
    }
    case 'bad_encoding': {
      const marker = 'BADBYTESMARKER';
      set('Subject', `Caf${marker} billing question`);
      const [before, after] = csvLine(fields).split(marker);
      return [Buffer.concat([Buffer.from(before ?? '', 'utf8'), Buffer.from([0xff, 0xfe]), Buffer.from(after ?? '', 'utf8')])];
    }
    default:
      throw new Error(`no defect builder for ${reason} in ${file}`);
  }
}

/** A Qualtrics test response ("Survey Preview"): read, then excluded by rule. */
export function buildPreview(template: readonly string[], ctx: DefectContext): string {
  const fields = [...template];
  const set = setter('survey', fields);
  set('ResponseId', ctx.ids.responseId());
  set('Status', 'Survey Preview');
  for (const c of ['IPAddress', 'RecipientLastName', 'RecipientFirstName', 'RecipientEmail', 'ExternalReference', 'LocationLatitude', 'LocationLongitude']) set(c, '');
  set('DistributionChannel', 'preview');
  set('Q4_TEXT', ctx.rng.pick(['test', 'testing the survey', '']));
  return csvLine(fields);
}

/** The file's last record: a quote opened in `column` and never closed. */
export function buildUnterminated(file: FileKey, column: string, template: readonly string[], ctx: DefectContext): string {
  const fields = [...template];
  freshKey(file, setter(file, fields), ctx);
  const index = columns(file).indexOf(column);
  return fields.map((field, i) => (i === index ? `"${field.replaceAll('"', '')}` : csvField(field))).join(',');
}
