import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A hand-made shop of 40 customers whose profile is known by construction:
 * - signups: 5 per quarter, 2024Q1 to 2025Q4; channel referral for 4 of 5
 *   in 2024 and 1 of 5 in 2025 (a 60-point drift);
 * - revenue: customer i paid 10·i (one purchase), so the top 4 bring
 *   (370 + 380 + 390 + 400) / 8,200;
 * - contacts: customers 1-20 (ages 21-40) chat twice, 21-40 phone twice;
 * - survey: customers 1-10 answered;
 * - plan: vip for customers 39 and 40 only (a cell under 5).
 */
export function makeShop(extraConfig = ''): string {
  const dir = mkdtempSync(join(tmpdir(), 'cxray-shop-'));
  const ids = Array.from({ length: 40 }, (_, k) => k + 1);
  const quarterStart = (i: number): string => {
    const q = Math.floor((i - 1) / 5);
    const year = 2024 + Math.floor(q / 4);
    const month = 1 + (q % 4) * 3;
    return `${year}-${String(month).padStart(2, '0')}-${String(1 + ((i - 1) % 5)).padStart(2, '0')}`;
  };
  const channel = (i: number): string => {
    const place = (i - 1) % 5;
    return i <= 20 ? (place < 4 ? 'referral' : 'search') : place < 1 ? 'referral' : 'search';
  };
  writeFileSync(
    join(dir, 'customers.csv'),
    ['id,signup,segment,channel,plan,age', ...ids.map((i) => `${i},${quarterStart(i)},${i % 2 === 0 ? 'retail' : 'smb'},${channel(i)},${i >= 39 ? 'vip' : i % 2 === 0 ? 'basic' : 'plus'},${20 + i}`), ''].join('\n'),
  );
  writeFileSync(join(dir, 'payments.csv'), ['id,customer,date,amount', ...ids.map((i) => `p${i},${i},2025-06-01,${(10 * i).toFixed(2)}`), ''].join('\n'));
  writeFileSync(
    join(dir, 'tickets.csv'),
    ['id,customer,date,channel', ...ids.flatMap((i) => [1, 2].map((k) => `t${i}-${k},${i},2025-0${k + 6}-01,${i <= 20 ? 'chat' : 'phone'}`)), ''].join('\n'),
  );
  writeFileSync(join(dir, 'survey.csv'), ['id,customer,date,score', ...ids.filter((i) => i <= 10).map((i) => `r${i},${i},2025-09-01,${i % 11}`), ''].join('\n'));
  writeFileSync(
    join(dir, 'cxray.yaml'),
    `as_of: 2025-12-31
currency: USD
sources:
  crm:
    files: [customers.csv]
    feeds:
      - table: customers
        columns: {customer_id: id, signup_at: signup}
        attributes:
          segment: {column: segment, at_acquisition: true}
          channel: {column: channel, at_acquisition: true}
          plan: plan
          age: {column: age, type: integer}
  pay:
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
${extraConfig}`,
  );
  return dir;
}
