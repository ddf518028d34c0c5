import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Customers of the erase company: C-1001 ... C-1060. */
export const ERASE_CUSTOMERS = 60;

export const customerId = (i: number): string => `C-${1000 + i}`;

/** Customer 40's survey comment names customers 7 (in lower case) and 13 (twice, one character apart): free text of another customer. */
export const MENTIONING = 40;
export const MENTION = 'Same trouble as c-1007 and C-1013,C-1013';
export const emailOf = (i: number): string => `person-${i}@example.com`;

/**
 * A small company for the erase tests (as of 2025-12-31): customers with an
 * e-mail under `pii: hash` that payments name them by (so a payment refers
 * to a customer through the identity map, never by id), purchases, NPS
 * answers with comments (one naming two other customers: MENTION), referrals both ways, churn, and three records that
 * are quarantined: a payment of customer 7 with an unreadable amount (its
 * raw line carries only the hashed e-mail), a survey answer of customer 13
 * with an unreadable date (its raw line carries the id), and a payment of
 * customer 2 with an unreadable amount.
 */
export function makeEraseWorkspace(engineBlock = ''): string {
  const dir = mkdtempSync(join(tmpdir(), 'cxray-erase-'));
  const ids = Array.from({ length: ERASE_CUSTOMERS }, (_, k) => k + 1);
  writeFileSync(join(dir, 'customers.csv'), `Customer ID,Email,Signup,Segment,Plan,Age\n${ids.map(customerLine).join('\n')}\n`);
  const pay = ['Charge ID,Customer Email,Date,Amount'];
  for (const i of ids) {
    for (let k = 0; k < 1 + ((i * 7) % 5); k += 1) {
      const day = new Date(Date.UTC(2025, 1 + ((i + k * 3) % 10), 1 + ((i * 13 + k * 5) % 27)));
      pay.push(`ch_${i}_${k},${emailOf(i)},${day.toISOString().slice(0, 10)},${(20 + ((i * 31 + k * 17) % 70) + (i % 4) * 0.25).toFixed(2)}`);
    }
  }
  pay.push(`ch_7_bad,${emailOf(7)},2025-05-05,12..50`, `ch_2_bad,${emailOf(2)},2025-05-06,abc`);
  writeFileSync(join(dir, 'payments.csv'), `${pay.join('\n')}\n`);
  const survey = ['Response,Customer,Date,NPS,Comment'];
  const comment = (i: number): string => (i === MENTIONING ? MENTION : i % 3 === 0 ? 'Paying is easy' : 'The bill was confusing');
  for (const i of ids) survey.push(`r${i},${customerId(i)},2025-09-${String(1 + (i % 27)).padStart(2, '0')},${i % 3 === 0 ? 9 + (i % 2) : i % 11},"${comment(i)}"`);
  survey.push(`r13_bad,${customerId(13)},someday,8,"Late again"`);
  writeFileSync(join(dir, 'survey.csv'), `${survey.join('\n')}\n`);
  const referrals = ['Referrer,Referred,Date', `${customerId(7)},${customerId(20)},2025-03-01`, `${customerId(30)},${customerId(13)},2025-04-01`, `${customerId(2)},${customerId(3)},2025-05-01`];
  writeFileSync(join(dir, 'referrals.csv'), `${referrals.join('\n')}\n`);
  writeFileSync(join(dir, 'churn.csv'), `Customer,Date\n${ids.filter((i) => i % 6 === 1).map((i) => `${customerId(i)},2025-10-15`).join('\n')}\n`);
  writeFileSync(
    join(dir, 'cxray.yaml'),
    `as_of: 2025-12-31
currency: USD
segments:
  segment: {attribute: segment}
sources:
  crm:
    files: [customers.csv]
    pii: {Email: hash}
    feeds:
      - table: customers
        columns: {customer_id: Customer ID, signup_at: Signup}
        keys: {email: Email}
        attributes:
          segment: {column: Segment, at_acquisition: true}
          plan: Plan
          age: {column: Age, type: integer}
  billing:
    files: [payments.csv]
    pii: {Customer Email: hash}
    feeds:
      - table: transactions
        columns:
          transaction_id: Charge ID
          customer_id: {column: Customer Email, via: email}
          at: Date
          amount: Amount
          currency: {value: USD}
          kind: {value: purchase}
  survey:
    files: [survey.csv]
    feeds:
      - table: survey_responses
        columns: {response_id: Response, customer_id: Customer, at: Date, instrument: {value: nps}, score: NPS}
      - table: survey_responses
        columns: {response_id: Response, customer_id: Customer, at: Date, instrument: {value: comment}, comment: Comment}
  referrals:
    files: [referrals.csv]
    feeds:
      - table: referrals
        columns: {referrer_id: Referrer, referred_id: Referred, at: Date}
  churn:
    files: [churn.csv]
    feeds:
      - table: status_changes
        columns: {customer_id: Customer, at: Date, status: {value: churned}}
${engineBlock}`,
  );
  return dir;
}

function customerLine(i: number): string {
  const segment = ['retail', 'smb', 'enterprise'][i % 3] ?? 'retail';
  return `${customerId(i)},${emailOf(i)},2025-0${1 + (i % 6)}-0${1 + (i % 9)},${segment},${i % 2 === 0 ? 'annual' : 'monthly'},${20 + ((i * 7) % 50)}`;
}

/** The next month's export: one more customer with a purchase (a changed file, so the next import writes a version). */
export function addEraseCustomer(dir: string, i: number): void {
  appendFileSync(join(dir, 'customers.csv'), `${customerLine(i)}\n`);
  appendFileSync(join(dir, 'payments.csv'), `ch_${i}_0,${emailOf(i)},2025-11-02,44.00\n`);
}
