import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Customers of the hand-made fit workspace: i mod 4, i mod 5 and i mod 11 take every combination once. */
export const HAND_MADE_CUSTOMERS = 220;

/** What customer i pays a month (20, 30, 40 or 50). */
export const monthlyPrice = (i: number): number => 20 + 10 * (i % 4);
/** Customer i's one NPS answer, in June 2024 (0-10). */
export const npsAnswer = (i: number): number => (7 * i) % 11;
/** Customer i referred someone in May 2024. */
export const referred = (i: number): boolean => i % 5 === 0;

/**
 * A hand-made workspace whose fit weights are known by construction. as_of
 * 2025-12-31, so the calibration date (12 months before) is 2025-01-01;
 * every customer signed up on 2024-01-01 (366 days, 366 / 30.4375 months,
 * before it) and none churns, so retention, cost to serve (no help desk)
 * and nothing else varies: value, satisfaction and referrals.
 * Customer i (1..220) pays monthlyPrice(i) on the 10th of every month of 2024
 * and 2025, answers npsAnswer(i) once in June 2024, and, if referred(i),
 * referred customer i + 1 in May 2024. In 2025 it also buys once more for
 * 10 × its NPS answer (June), and a referrer gets a credit of 30 (July).
 * So its net value over the 12 months after the calibration date is
 * exactly 12·price + 10·answer − 30·referred, and its components then are
 * value = 12·price / months, satisfaction = answer, referrals = 12·referred /
 * months (months = 366 / 30.4375): least squares fits the weights
 * months (value), 10 (satisfaction) and −30·months / 12 (referrals) per
 * unit with no residual, and the three are uncorrelated (every combination
 * of residues once), so leaving referrals out (its weight points the wrong
 * way) leaves the other two unchanged.
 * Attributes known at acquisition: channel referral when i mod 4 is 2 or 3,
 * contract annual when i mod 4 is 1 or 3 (referral and annual: the price-50
 * customers), region north for i ≤ 110. cxray.yaml lists them in
 * fit.rule_attributes (channel alone explains 80% of the variation in what
 * customers pay, a price tier the rules would otherwise leave out).
 */
export function makeHandMadeFit(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cxray-fit-hand-made-'));
  const ids = Array.from({ length: HAND_MADE_CUSTOMERS }, (_, k) => k + 1);
  const customers = ['id,signup,channel,contract,region'];
  const payments = ['id,customer,date,kind,amount'];
  const survey = ['id,customer,date,score'];
  const referrals = ['referrer,referred,date'];
  for (const i of ids) {
    customers.push(`${i},2024-01-01,${i % 4 >= 2 ? 'referral' : 'paid'},${i % 4 === 1 || i % 4 === 3 ? 'annual' : 'monthly'},${i <= 110 ? 'north' : 'south'}`);
    for (const year of [2024, 2025]) {
      for (let m = 1; m <= 12; m += 1) payments.push(`p${i}-${year}-${m},${i},${year}-${String(m).padStart(2, '0')}-10,purchase,${monthlyPrice(i)}.00`);
    }
    if (npsAnswer(i) > 0) payments.push(`b${i},${i},2025-06-15,purchase,${10 * npsAnswer(i)}.00`);
    if (referred(i)) {
      payments.push(`c${i},${i},2025-07-01,credit,30.00`);
      referrals.push(`${i},${i === HAND_MADE_CUSTOMERS ? 1 : i + 1},2024-05-20`);
    }
    survey.push(`s${i},${i},2024-06-01,${npsAnswer(i)}`);
  }
  writeFileSync(join(dir, 'customers.csv'), [...customers, ''].join('\n'));
  writeFileSync(join(dir, 'payments.csv'), [...payments, ''].join('\n'));
  writeFileSync(join(dir, 'survey.csv'), [...survey, ''].join('\n'));
  writeFileSync(join(dir, 'referrals.csv'), [...referrals, ''].join('\n'));
  writeFileSync(
    join(dir, 'cxray.yaml'),
    `as_of: 2025-12-31
currency: USD
fit: {rule_attributes: [channel, contract, region]}
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
  programme:
    files: [referrals.csv]
    feeds:
      - table: referrals
        columns: {referrer_id: referrer, referred_id: referred, at: date}
`,
  );
  return dir;
}
