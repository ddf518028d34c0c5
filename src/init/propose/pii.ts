import type { ColumnProfile } from '../types.js';

/**
 * Columns holding personal data: names, e-mails, phones, postal addresses,
 * network locations, card details. Staff names (owner, assignee) are not the
 * customer's and are left alone.
 */
const PERSONAL =
  /(^|[ _.-])(first|last|full|given|family|middle|sur)[ _-]?name$|^name$|surname|^customer name$|^contact name$|^contact person$|^deal - contact person$|^requester$|^(billing|shipping|person|recipient|reviewer) ?-? ?(first |last )?name$|^recipient(first|last)name$|e-?mail|phone|mobile|^tel$|^fax$|address|street|zip|postal|postcode|ip ?address|^ipaddress$|latitude|longitude|^ssn$|social security|passport|birth ?date|date of birth|^dob$|card (last ?4|number)|pan suffix|iban/;

/** A birth date: proposed as an `age` attribute (whole years at as_of), the date itself not kept. */
export function isBirthDate(c: ColumnProfile): boolean {
  return c.date !== undefined && /birth ?(date|day)|date of birth|^dob$/.test(c.key);
}

export function isPersonalColumn(c: ColumnProfile): boolean {
  // "Address Status" (PayPal) and "Email Marketing" flags describe, they do not identify.
  if (/status|marketing|verified|consent|opt[ -]?in|accepts|service/.test(c.key)) return false;
  // Yes/No flags (Telco PhoneService) are not phone numbers.
  if (c.boolean !== undefined) return false;
  return PERSONAL.test(c.key) || c.email;
}

/**
 * `pii` for a source: personal columns a feed reads (e-mail keys, an e-mail
 * or name used as the customer id) are hashed, so joins still work when both
 * sides hash with the workspace salt; the rest are dropped. A column a feed
 * reads is never dropped.
 */
export function proposePii(columns: readonly ColumnProfile[], used: ReadonlySet<string>): Record<string, 'hash' | 'drop'> {
  const out: Record<string, 'hash' | 'drop'> = {};
  for (const c of columns) {
    if (!isPersonalColumn(c) || c.name === '') continue;
    // Read only to be counted into an age at import; hashing would leave nothing to count.
    if (isBirthDate(c) && used.has(c.key)) continue;
    out[c.name] = used.has(c.key) ? 'hash' : 'drop';
  }
  return out;
}
