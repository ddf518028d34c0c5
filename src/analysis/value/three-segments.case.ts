import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A hand-made workspace of 180 customers whose value and satisfaction are
 * known by construction. Everyone signed up on 2024-01-01 (as_of
 * 2024-12-31: 366 days of exposure); region north for odd ids, south for even.
 * Customer i pays one purchase of 100 + 5·(i mod 4) (300 + 5·(i mod 4) in
 * segment C), so each segment's 60 purchases sum to 6,450 (18,450 in C).
 * - segment A (ids 1-60), losing money and unhappy: a credit of 60 and 10
 *   phone contacts (at 10 each): net value 5·(i mod 4) − 60; NPS answer 3,
 *   7 when i is a multiple of 3 (NPS −66.7);
 * - segment B (61-120), losing money but happy: 16 chat contacts: net value
 *   5·(i mod 4) − 60; NPS 10, 8 for multiples of 3 (NPS +66.7);
 * - segment C (121-180), fine: a fee of 20, a refund of 10 and one email:
 *   net value 300 + 5·(i mod 4); NPS 9 when i mod 4 is 0 or 1, else 6 (NPS 0,
 *   in each region alike).
 * Totals: revenue 31,350, fees 1,200, refunds 600, credits 3,600, cost to
 * serve 16,200 (phone 6,000, chat 9,600, email 600), net value 12,150;
 * 120 of 180 customers below zero. `interactions: false` leaves the
 * help-desk export out (cost to serve unknown). Dates: purchases 2024-03-01,
 * credits 04-01, fees 05-01, refunds 06-01, satisfaction 09-01; contact k
 * (from 1) on the 15th of month 1 + (k mod 12).
 */
export function makeThreeSegments(options: { interactions?: boolean } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'cxray-three-segments-'));
  const ids = Array.from({ length: 180 }, (_, k) => k + 1);
  const segment = (i: number): 'A' | 'B' | 'C' => (i <= 60 ? 'A' : i <= 120 ? 'B' : 'C');
  const payments: string[] = ['id,customer,date,kind,amount'];
  const tickets: string[] = ['id,customer,date,channel'];
  const survey: string[] = ['id,customer,date,score'];
  for (const i of ids) {
    const s = segment(i);
    payments.push(`p${i},${i},2024-03-01,purchase,${(s === 'C' ? 300 : 100) + 5 * (i % 4)}.00`);
    if (s === 'A') payments.push(`c${i},${i},2024-04-01,credit,60.00`);
    if (s === 'C') payments.push(`f${i},${i},2024-05-01,fee,20.00`, `r${i},${i},2024-06-01,refund,10.00`);
    const contacts = s === 'A' ? 10 : s === 'B' ? 16 : 1;
    const channel = s === 'A' ? 'phone' : s === 'B' ? 'chat' : 'email';
    for (let k = 1; k <= contacts; k += 1) tickets.push(`t${i}-${k},${i},2024-${String(1 + (k % 12)).padStart(2, '0')}-15,${channel}`);
    const score = s === 'A' ? (i % 3 === 0 ? 7 : 3) : s === 'B' ? (i % 3 === 0 ? 8 : 10) : i % 4 < 2 ? 9 : 6;
    survey.push(`s${i},${i},2024-09-01,${score}`);
  }
  writeFileSync(join(dir, 'customers.csv'), ['id,signup,segment,region', ...ids.map((i) => `${i},2024-01-01,${segment(i)},${i % 2 === 1 ? 'north' : 'south'}`), ''].join('\n'));
  writeFileSync(join(dir, 'payments.csv'), [...payments, ''].join('\n'));
  writeFileSync(join(dir, 'survey.csv'), [...survey, ''].join('\n'));
  const withInteractions = options.interactions !== false;
  if (withInteractions) writeFileSync(join(dir, 'tickets.csv'), [...tickets, ''].join('\n'));
  writeFileSync(
    join(dir, 'cxray.yaml'),
    `as_of: 2024-12-31
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
${
  withInteractions
    ? `  desk:
    files: [tickets.csv]
    feeds:
      - table: interactions
        columns: {interaction_id: id, customer_id: customer, at: date, channel: channel}
`
    : ''
}`,
  );
  return dir;
}
