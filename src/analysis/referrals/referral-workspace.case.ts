import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Founder i (1-20) and the customers it referred, 20 + k for k ≡ i (mod 20), k = 1..40. */
export const FOUNDERS = 20;
export const REFERRED = 40;

/** The founder who referred customer 20 + k. */
export function referrerOf(k: number): number {
  return ((k - 1) % FOUNDERS) + 1;
}

/** A founder's segment: A for 1-10, B for 11-20. */
export function founderSegment(i: number): 'A' | 'B' {
  return i <= 10 ? 'A' : 'B';
}

/** Referred customer k shares its referrer's segment for k ≤ 30, and has the other one for k > 30 (all of those are A: their referrers are 11-20). */
export function referredSegment(k: number): 'A' | 'B' {
  const own = founderSegment(referrerOf(k));
  return k <= 30 ? own : own === 'A' ? 'B' : 'A';
}

/** A founder's purchase in its first year (100 + i) and its second-year purchase of 1,000. */
export function founderEarlyValue(i: number): number {
  return 100 + i;
}

/** A referred customer's one purchase (50 + k mod 3), less a phone contact costing 10 for k ≤ 10. */
export function referredValue(k: number): number {
  return 50 + (k % 3) - (k <= 10 ? 10 : 0);
}

/**
 * A hand-made workspace of 60 customers whose referral graph is known by
 * construction (as_of 2025-12-31):
 * - founders 1-20 signed up 2024-01-01, segment A (1-10) or B (11-20);
 *   each referred two customers (20 + i and 40 + i), so 20 of 60 customers
 *   refer, 40 referrals;
 * - referred customers 21-60 signed up 2024-07-01; customer 20 + k shares
 *   its referrer's segment for k ≤ 30 and not for k > 30: 30 of 40 pairs
 *   alike. Referrers' shares over pairs: A 0.5, B 0.5; referred: A 30/40,
 *   B 10/40; chance 0.5·0.75 + 0.5·0.25 = 0.5; Newman's r = (0.75 − 0.5) /
 *   (1 − 0.5) = 0.5;
 * - region north for odd ids, south for even: a founder i refers 20 + i and
 *   40 + i, of its own parity, so every pair shares its region (r = 1);
 * - money: founder i pays 100 + i on 2024-02-01 and 1,000 on 2025-06-01
 *   (after its first 365 days); customer 20 + k pays 50 + (k mod 3) on
 *   2024-08-01, and k ≤ 10 make one phone contact on 2024-09-01 (cost 10);
 * - NPS: founders 9 (odd) or 5 (even): NPS 0; referred customers 10 (odd)
 *   or 7 (even): NPS +50.
 * `via`: the referrer as a "Referred by" column of the customers file fed
 * into the referrals table (the default), or a referrals export.
 */
export function makeReferralWorkspace(via: 'column' | 'table' = 'column'): string {
  const dir = mkdtempSync(join(tmpdir(), `cxray-referrals-${via}-`));
  const customers = ['id,signup,segment,region,Referred by'];
  const payments = ['id,customer,date,amount'];
  const tickets = ['id,customer,date,channel'];
  const survey = ['id,customer,date,score'];
  const referrals = ['referrer_id,referred_id,referred_at'];
  for (let i = 1; i <= FOUNDERS; i += 1) {
    customers.push(`${i},2024-01-01,${founderSegment(i)},${i % 2 === 1 ? 'north' : 'south'},`);
    payments.push(`p${i},${i},2024-02-01,${founderEarlyValue(i)}.00`, `q${i},${i},2025-06-01,1000.00`);
    survey.push(`s${i},${i},2024-10-01,${i % 2 === 1 ? 9 : 5}`);
  }
  for (let k = 1; k <= REFERRED; k += 1) {
    const id = 20 + k;
    const referrer = referrerOf(k);
    customers.push(`${id},2024-07-01,${referredSegment(k)},${id % 2 === 1 ? 'north' : 'south'},${via === 'column' ? referrer : ''}`);
    referrals.push(`${referrer},${id},2024-06-25`);
    payments.push(`p${id},${id},2024-08-01,${(50 + (k % 3)).toFixed(2)}`);
    if (k <= 10) tickets.push(`t${id},${id},2024-09-01,phone`);
    survey.push(`s${id},${id},2024-10-01,${id % 2 === 1 ? 10 : 7}`);
  }
  const write = (name: string, lines: string[]): void => writeFileSync(join(dir, name), [...lines, ''].join('\n'));
  write('customers.csv', customers);
  write('payments.csv', payments);
  write('tickets.csv', tickets);
  write('survey.csv', survey);
  if (via === 'table') write('referrals.csv', referrals);
  const referralFeed =
    via === 'column'
      ? `      - table: referrals
        columns: {referrer_id: Referred by, referred_id: id}
        where: [{column: Referred by, nonblank: true}]
`
      : '';
  const referralSource =
    via === 'table'
      ? `  programme:
    files: [referrals.csv]
    feeds:
      - table: referrals
        columns: {referrer_id: referrer_id, referred_id: referred_id, at: referred_at}
`
      : '';
  writeFileSync(
    join(dir, 'cxray.yaml'),
    `as_of: 2025-12-31
currency: USD
handling_cost: {default: 10}
sources:
  crm:
    files: [customers.csv]
    feeds:
      - table: customers
        columns: {customer_id: id, signup_at: signup}
        attributes:
          segment: {column: segment, at_acquisition: true}
          region: {column: region, at_acquisition: true}
${referralFeed}  pay:
    files: [payments.csv]
    feeds:
      - table: transactions
        columns: {transaction_id: id, customer_id: customer, at: date, amount: amount, currency: {value: USD}, kind: {value: purchase}}
  desk:
    files: [tickets.csv]
    feeds:
      - table: interactions
        columns: {interaction_id: id, customer_id: customer, at: date, channel: channel}
  survey:
    files: [survey.csv]
    feeds:
      - table: survey_responses
        columns: {response_id: id, customer_id: customer, at: date, instrument: {value: nps}, score: score}
${referralSource}`,
  );
  return dir;
}
