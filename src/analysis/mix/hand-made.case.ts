import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Signup quarters of the hand-made company: 2023Q1 to 2025Q4. */
export const QUARTERS = 12;
export const PER_QUARTER = 50;
/** Ideal customers (referral, annual) in quarter q: 20, 19, ..., 9. */
export const idealIn = (q: number): number => 20 - q;
/** Misaligned customers (paid, monthly, south) in quarter q: 2, 3, ..., 13. */
export const misalignedIn = (q: number): number => 2 + q;

export type Kind = 'ideal' | 'misaligned' | 'referral monthly' | 'paid annual' | 'paid monthly';

/** The j-th customer (0..49) signed up in quarter q: the first idealIn(q) are ideal, the next misalignedIn(q) misaligned, then 8, 10 and 10 of the others. */
export function kindOf(q: number, j: number): Kind {
  if (j < idealIn(q)) return 'ideal';
  if (j < idealIn(q) + misalignedIn(q)) return 'misaligned';
  const r = j - idealIn(q) - misalignedIn(q);
  return r < 8 ? 'referral monthly' : r < 18 ? 'paid annual' : 'paid monthly';
}

const DAY = 86_400_000;
const AS_OF_END = Date.UTC(2026, 0, 1);
const iso = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
/** Customer j of quarter q signs up floor(90·j/50) days into the quarter. */
export const signupOf = (q: number, j: number): number => Date.UTC(2023 + Math.floor(q / 4), (q % 4) * 3, 1) + Math.floor((90 * j) / PER_QUARTER) * DAY;

/** What a customer pays every 30 days from its signup, and the credit it gets on the same days. */
export function monthlyMoney(kind: Kind, flat: boolean): { price: number; credit: number } {
  if (flat) return { price: 30, credit: 0 };
  if (kind === 'ideal') return { price: 90, credit: 0 };
  if (kind === 'misaligned') return { price: 10, credit: 25 };
  return { price: 30, credit: 0 };
}

/**
 * A hand-made company of 600 customers, 50 signing up each quarter of
 * 2023-2025 (as_of 2025-12-31), whose mix drifts by construction: in
 * quarter q, 20 − q customers come by referral on annual contracts (the
 * ideal: they pay 90 every 30 days from signup and answer NPS 10) and
 * 2 + q are paid, monthly and in the south (misaligned: they pay 10 and get
 * a credit of 25 on the same days, and answer NPS 0 to 2); the other 28
 * pay 30 and answer 7 to 9. So the ideal share falls by 2 points a quarter
 * (37% of the first year's signups, 21% of the last year's), the misaligned
 * share rises by as much (7% to 23%), and each customer's net value over
 * its first 90 days (payments on days 0, 30 and 60) is 270, 90 or −45.
 * `flat`: everyone pays 30, gets no credit and answers 8, regions
 * alternate, and the rules may use only the region: no group stands out
 * (a drifting channel would, by age alone: the youngest customers have paid
 * most per month, paying in advance), so there is no ideal profile to follow.
 */
export function makeHandMadeMix(flat = false): string {
  const dir = mkdtempSync(join(tmpdir(), `cxray-mix-hand-made${flat ? '-flat' : ''}-`));
  const customers = ['id,signup,channel,contract,region'];
  const payments = ['id,customer,date,kind,amount'];
  const survey = ['id,customer,date,score'];
  for (let q = 0; q < QUARTERS; q += 1) {
    for (let j = 0; j < PER_QUARTER; j += 1) {
      const id = `c${q}-${j}`;
      const kind = kindOf(q, j);
      const channel = kind === 'ideal' || kind === 'referral monthly' ? 'referral' : 'paid';
      const contract = kind === 'ideal' || kind === 'paid annual' ? 'annual' : 'monthly';
      const region = flat || (kind !== 'misaligned' && kind !== 'paid monthly') ? (j % 2 === 0 ? 'north' : 'south') : kind === 'misaligned' ? 'south' : 'north';
      const signup = signupOf(q, j);
      customers.push(`${id},${iso(signup)},${channel},${contract},${region}`);
      const { price, credit } = monthlyMoney(kind, flat);
      for (let k = 0, at = signup; at < AS_OF_END; k += 1, at += 30 * DAY) {
        payments.push(`p${id}-${k},${id},${iso(at)},purchase,${price}.00`);
        if (credit > 0) payments.push(`k${id}-${k},${id},${iso(at)},credit,${credit}.00`);
      }
      const answered = signup + 20 * DAY;
      const score = flat ? 8 : kind === 'ideal' ? 10 : kind === 'misaligned' ? j % 3 : 7 + (j % 3);
      if (answered < AS_OF_END) survey.push(`s${id},${id},${iso(answered)},${score}`);
    }
  }
  writeFileSync(join(dir, 'customers.csv'), [...customers, ''].join('\n'));
  writeFileSync(join(dir, 'payments.csv'), [...payments, ''].join('\n'));
  writeFileSync(join(dir, 'survey.csv'), [...survey, ''].join('\n'));
  writeFileSync(
    join(dir, 'cxray.yaml'),
    `as_of: 2025-12-31
currency: USD
fit: {rule_attributes: [${flat ? 'region' : 'channel, contract, region'}]}
sources:
  crm:
    files: [customers.csv]
    feeds:
      - table: customers
        columns: {customer_id: id, signup_at: signup}
        attributes:
          channel: {column: channel, at_acquisition: true}
          contract: {column: contract, at_acquisition: true}
          region: {column: region, at_acquisition: true}
  pay:
    files: [payments.csv]
    feeds:
      - table: transactions
        columns: {transaction_id: id, customer_id: customer, at: date, amount: amount, currency: {value: USD}, kind: kind}
  survey:
    files: [survey.csv]
    feeds:
      - table: survey_responses
        columns: {response_id: id, customer_id: customer, at: date, instrument: {value: nps}, score: score}
`,
  );
  return dir;
}
