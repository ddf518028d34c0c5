import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Customers per NPS class in the hand-made company. */
export const BLOCK = 40;

/**
 * A hand-made company of 180 customers (all signed up 2024-01-01, as_of
 * 2025-12-31) whose concentration ratios are known by construction:
 * - NPS, latest answer 2025-06-15: customers 1-40 detractors (3), 41-80
 *   passives (8), 81-120 promoters (10), 121-180 never answered. Earlier
 *   answers (2024-06-01): 1-20 gave 2, 21-40 gave 9, 81-120 gave 10, so by
 *   2025-03-31 the known are 1-40 and 81-120, the detractors 1-20.
 * - CSAT (2025-06-15): 1-20 gave 2 (low on a 1-5 scale), 21-120 gave 4.
 * - region: odd ids north, even south. Churn: 1-5 and 81-85 on 2025-10-01.
 * - overage_fee (declared "Overage fee"): 1-40 pay $15 on 2025-02-01 and
 *   $15 on 2025-08-01; 41-60 and 81-100 pay $10, 121-140 $20, on 2025-02-01.
 *   Known revenue 1,600, of which detractors 1,200: 0.75 against a customer
 *   share of 1/3, ratio 2.25, $666.67 above their share. From 2025-01-01 to
 *   2025-03-31: known payers 1-40 and 81-100, detractors 1-20: 300 of 800
 *   against 20 of 80 customers, ratio 1.5.
 * - late_fee: 1-20, 41-60 and 81-100 pay $15 on 2025-05-01: ratio 1.
 * - subscription (purchase): one charge on 2025-02-15, $50 (1-80, 121-180),
 *   $60 (81-120): ratio (2,000 / 6,400) / (1/3) = 0.9375; from 2025-01-01 to
 *   2025-03-31, (1,000 / 4,400) / (1/4) = 0.909.
 * - paper_bill_fee (1-5, $2.50) and card_fee (41-44, $3), on 2025-07-01:
 *   two small fee lines, pooled, and the pool (9 payers) too small;
 *   one_off (purchase, 1-12, $20, on 2025-07-01): too small on its own.
 * - a refund of customer 1's subscription, which no line counts.
 * `surveys: false` or `churn: false` leave the survey or the status changes out of cxray.yaml.
 */
export function makeHandMadeCompany(options: { surveys?: boolean; churn?: boolean } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'cxray-bad-revenue-'));
  const ids = Array.from({ length: 4.5 * BLOCK }, (_, k) => k + 1);
  const between = (i: number, a: number, b: number): boolean => i >= a && i <= b;
  writeFileSync(join(dir, 'customers.csv'), ['id,signup,region', ...ids.map((i) => `${i},2024-01-01,${i % 2 === 1 ? 'north' : 'south'}`), ''].join('\n'));

  const payments: string[] = ['id,customer,date,kind,category,amount'];
  const pay = (i: number, date: string, kind: string, category: string, amount: number): void => {
    payments.push(`p${payments.length},${i},${date},${kind},${category},${amount.toFixed(2)}`);
  };
  for (const i of ids) {
    if (between(i, 1, 40)) {
      pay(i, '2025-02-01', 'fee', 'overage_fee', 15);
      pay(i, '2025-08-01', 'fee', 'overage_fee', 15);
    }
    if (between(i, 41, 60) || between(i, 81, 100)) pay(i, '2025-02-01', 'fee', 'overage_fee', 10);
    if (between(i, 121, 140)) pay(i, '2025-02-01', 'fee', 'overage_fee', 20);
    if (between(i, 1, 20) || between(i, 41, 60) || between(i, 81, 100)) pay(i, '2025-05-01', 'fee', 'late_fee', 15);
    pay(i, '2025-02-15', 'purchase', 'subscription', between(i, 81, 120) ? 60 : 50);
    if (between(i, 1, 5)) pay(i, '2025-07-01', 'fee', 'paper_bill_fee', 2.5);
    if (between(i, 41, 44)) pay(i, '2025-07-01', 'fee', 'card_fee', 3);
    if (between(i, 1, 12)) pay(i, '2025-07-01', 'purchase', 'one_off', 20);
  }
  pay(1, '2025-03-01', 'refund', 'subscription', 50);
  writeFileSync(join(dir, 'payments.csv'), [...payments, ''].join('\n'));

  const answers: string[] = ['id,customer,date,instrument,score'];
  const answer = (i: number, date: string, instrument: string, score: number): void => {
    answers.push(`r${answers.length},${i},${date},${instrument},${score}`);
  };
  for (const i of ids) {
    if (between(i, 1, 20)) answer(i, '2024-06-01', 'nps', 2);
    if (between(i, 21, 40)) answer(i, '2024-06-01', 'nps', 9);
    if (between(i, 81, 120)) answer(i, '2024-06-01', 'nps', 10);
    if (i <= 3 * BLOCK) {
      answer(i, '2025-06-15', 'nps', i <= BLOCK ? 3 : i <= 2 * BLOCK ? 8 : 10);
      answer(i, '2025-06-15', 'csat', i <= 20 ? 2 : 4);
    }
  }
  writeFileSync(join(dir, 'survey.csv'), [...answers, ''].join('\n'));
  const churned = ids.filter((i) => between(i, 1, 5) || between(i, 81, 85));
  writeFileSync(join(dir, 'status.csv'), ['customer,date,status', ...ids.map((i) => `${i},2024-01-01,active`), ...churned.map((i) => `${i},2025-10-01,churned`), ''].join('\n'));
  const yaml = `as_of: 2025-12-31
currency: USD
fees:
  overage_fee: {label: Overage fee}
  late_fee: {label: Late fee}
  paper_bill_fee: {label: Paper bill fee}
sources:
  crm:
    files: [customers.csv]
    feeds:
      - table: customers
        columns: {customer_id: id, signup_at: signup}
        attributes:
          region: {column: region, at_acquisition: true}
  pay:
    files: [payments.csv]
    feeds:
      - table: transactions
        columns: {transaction_id: id, customer_id: customer, at: date, amount: amount, currency: {value: USD}, kind: kind, category: category}
`;
  const surveys = `  survey:
    files: [survey.csv]
    feeds:
      - table: survey_responses
        columns: {response_id: id, customer_id: customer, at: date, instrument: instrument, score: score}
`;
  const churn = `  subs:
    files: [status.csv]
    feeds:
      - table: status_changes
        columns: {customer_id: customer, at: date, status: status}
`;
  writeFileSync(join(dir, 'cxray.yaml'), `${yaml}${options.surveys === false ? '' : surveys}${options.churn === false ? '' : churn}`);
  return dir;
}
