import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A comment of the hand-made company, with the theme and answers it was written with. */
export interface HandMadeComment {
  text: string;
  /** billing, staff, parking, none (too short to have a theme), es or fr. */
  planted: 'billing' | 'staff' | 'parking' | 'none' | 'es' | 'fr';
  nps: number | null;
  csat: number | null;
  date: string;
  /** Written without a response id: its answers are matched by customer and instant. */
  noResponseId: boolean;
}

const BILLING = [
  'My bill was wrong again this month.',
  'I was overcharged and the invoice is still not corrected.',
  'Hidden charges on my statement every single month.',
  'The invoice is confusing and full of extra charges.',
  'Charged twice for the same bill, terrible.',
  'Billing errors every month, charges I never agreed to.',
];
const STAFF = [
  'The staff were friendly and helpful.',
  'Very kind and knowledgeable team, thank you.',
  'The agent was polite and really helpful.',
  'Friendly staff who took the time to explain everything.',
  'Such a courteous and helpful employee.',
  'Lovely, patient staff, great experience.',
];
// Every parking comment carries an e-mail address or a phone number: its samples must come out masked.
const PARKING = [
  'No parking anywhere near you, call me on 07700 900123.',
  'The car park is always full, write to me at sam.jones@example.org please.',
  'Parking is a nightmare, ring +44 20 7946 0958 if you want details.',
  'Could not find parking again, my email is pat@example.com.',
  'The car park closes too early, phone 555-867-5309.',
];
const SPANISH = ['No entiendo mi factura, hay cargos que nunca acepté.', 'La factura es muy confusa, me cobraron dos veces.', 'El personal fue muy amable y atento.'];
const FRENCH = ['Je ne comprends pas ma facture, il y a des frais que je n’ai jamais acceptés.', 'Le personnel était très aimable.', 'Facture incompréhensible, on m’a facturé deux fois.'];

/** NPS answers of a group: `promoters` 10s and 9s, `passives` 8s and 7s, `detractors` 0 to 6, in that order. */
function scores(promoters: number, passives: number, detractors: number): number[] {
  return [
    ...Array.from({ length: promoters }, (_, k) => 10 - (k % 2)),
    ...Array.from({ length: passives }, (_, k) => 8 - (k % 2)),
    ...Array.from({ length: detractors }, (_, k) => k % 7),
  ];
}

const month = (k: number): string => `2025-0${1 + (k % 6)}-${String(1 + (k % 27)).padStart(2, '0')}`;

/**
 * The hand-made comments (93): 36 billing complaints (NPS answers: 4
 * promoters, 8 passives, 24 detractors; CSAT 2), 34 staff praises (26, 6,
 * 2; CSAT 5; the first 10 written without a response id), 10 parking
 * complaints (3, 4, 3; CSAT 3; each with an e-mail address or a phone
 * number), 2 too short for a theme and without answers ("ok", "Nothing to
 * add."), all answered in 2025; 6 in Spanish (2025) and 5 in French (dated
 * 2024-06-01), with NPS answers of their own.
 */
export function handMadeComments(): HandMadeComment[] {
  const out: HandMadeComment[] = [];
  const add = (planted: HandMadeComment['planted'], texts: readonly string[], nps: readonly (number | null)[], csat: number | null, noResponseId = 0): void => {
    nps.forEach((score, k) => out.push({ text: texts[k % texts.length] ?? '', planted, nps: score, csat, date: month(out.length), noResponseId: k < noResponseId }));
  };
  add('billing', BILLING, scores(4, 8, 24), 2);
  add('staff', STAFF, scores(26, 6, 2), 5, 10);
  add('parking', PARKING, scores(3, 4, 3), 3);
  add('none', ['ok', 'Nothing to add.'], [null, null], null);
  add('es', SPANISH, scores(1, 2, 3), null);
  for (const [k, score] of scores(1, 1, 3).entries()) out.push({ text: FRENCH[k % FRENCH.length] ?? '', planted: 'fr', nps: score, csat: null, date: '2024-06-01', noResponseId: false });
  return out;
}

/**
 * A workspace of the hand-made comments: one customer per response (odd
 * ids in the north), a long survey export (response id, customer, date,
 * instrument, score, comment) whose comment and NPS and CSAT answers share
 * the response id, or, for responses written without one, the customer and
 * instant. cxray.yaml renames the billing theme (`comment_themes.billing`)
 * and adds a parking theme linked to the `stores` area; its experience areas
 * are billing_and_payments and stores, none for staff. With `pii` the
 * comment column is dropped or hashed on import.
 */
export function makeHandMadeCommentsWorkspace(options: { pii?: 'drop' | 'hash' } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'cxray-comments-'));
  const comments = handMadeComments();
  const customers = comments.map((_, k) => `${k + 1},2024-01-01,${k % 2 === 0 ? 'north' : 'south'}`);
  writeFileSync(join(dir, 'customers.csv'), ['id,signup,region', ...customers, ''].join('\n'));
  const quote = (text: string): string => `"${text.replace(/"/g, '""')}"`;
  const lines = ['response,customer,date,instrument,score,comment'];
  comments.forEach((c, k) => {
    const id = c.noResponseId ? '' : `R${String(k + 1).padStart(3, '0')}`;
    const at = `${c.date} 10:00:00`;
    lines.push(`${id},${k + 1},${at},comment,,${quote(c.text)}`);
    if (c.nps !== null) lines.push(`${id},${k + 1},${at},nps,${c.nps},`);
    if (c.csat !== null) lines.push(`${id},${k + 1},${at},csat,${c.csat},`);
  });
  // Customer 37 (staff, written without a response id, NPS 10) answers NPS 0 an hour later in another
  // response: matched by customer alone it would turn the comment's promoter into a detractor.
  lines.push(`,37,${comments[36]?.date ?? '2025-01-01'} 11:00:00,nps,0,`);
  writeFileSync(join(dir, 'survey.csv'), [...lines, ''].join('\n'));
  writeFileSync(
    join(dir, 'cxray.yaml'),
    `as_of: 2025-12-31
currency: USD
experience_areas:
  billing_and_payments: {label: Billing and payments}
  stores: {label: Stores}
comment_themes:
  billing: {label: Bills, negative_label: Wrong or surprising bills}
  parking: {label: Parking, area: stores, terms: [parking, car park]}
sources:
  crm:
    files: [customers.csv]
    feeds:
      - table: customers
        columns: {customer_id: id, signup_at: signup}
        attributes:
          region: {column: region, at_acquisition: true}
  survey:
    files: [survey.csv]
    row_key: [response, instrument]
${options.pii === undefined ? '' : `    pii: {comment: ${options.pii}}\n`}    feeds:
      - table: survey_responses
        columns: {response_id: response, customer_id: customer, at: date, instrument: instrument, score: score, comment: comment}
`,
  );
  return dir;
}
