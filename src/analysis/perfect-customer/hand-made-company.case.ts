import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface HandMadeOptions {
  /** Declare the autopay behaviour (default true). */
  behaviour?: boolean;
  /** Add churn on 2025-10-01 for adopters 1-4 and non-adopters 41-58: 10% against 30% (default false). */
  churn?: boolean;
  /** More top-level cxray.yaml lines (e.g. `adjust_for: [segment]`). */
  extraConfig?: string;
}

/**
 * A hand-made company of 100 customers whose answer is known by construction:
 * - everyone signed up on 2025-01-01 (as_of 2025-12-31: 365 days of exposure each);
 * - autopay (an attribute) for customers 1-40;
 * - contacts: each autopay customer opened 1 ticket, everyone else 3, at a flat
 *   handling cost of 10: adopters cost 20 less per customer over the same exposure;
 * - revenue: everyone paid 50 once (no revenue difference);
 * - NPS: autopay customers all gave 10; the others 0 (odd ids) or 8 (even):
 *   NPS 100 against -50;
 * - segment north/south alternates, so it is balanced across adoption and the
 *   adjusted estimates equal the raw ones (churners too: half on either segment).
 */
export function makeHandMadeCompany(options: HandMadeOptions = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'cxray-pc-'));
  const ids = Array.from({ length: 100 }, (_, k) => k + 1);
  const autopay = (i: number): boolean => i <= 40;
  const churned = (i: number): boolean => i <= 4 || (i >= 41 && i <= 58);
  writeFileSync(join(dir, 'customers.csv'), ['id,signup,segment,autopay', ...ids.map((i) => `${i},2025-01-01,${i % 2 === 0 ? 'north' : 'south'},${autopay(i) ? 'yes' : 'no'}`), ''].join('\n'));
  writeFileSync(join(dir, 'payments.csv'), ['id,customer,date,amount', ...ids.map((i) => `p${i},${i},2025-03-01,50.00`), ''].join('\n'));
  writeFileSync(
    join(dir, 'tickets.csv'),
    ['id,customer,date,channel', ...ids.flatMap((i) => Array.from({ length: autopay(i) ? 1 : 3 }, (_, k) => `t${i}-${k},${i},2025-0${k + 4}-01,phone`)), ''].join('\n'),
  );
  writeFileSync(join(dir, 'survey.csv'), ['id,customer,date,score', ...ids.map((i) => `r${i},${i},2025-09-01,${autopay(i) ? 10 : i % 2 === 1 ? 0 : 8}`), ''].join('\n'));
  writeFileSync(join(dir, 'churn.csv'), ['customer,date', ...ids.filter(churned).map((i) => `${i},2025-10-01`), ''].join('\n'));
  const churnSource = `  churn:
    files: [churn.csv]
    feeds:
      - table: status_changes
        columns: {customer_id: customer, at: date, status: {value: churned}}
`;
  writeFileSync(
    join(dir, 'cxray.yaml'),
    `as_of: 2025-12-31
currency: USD
handling_cost: {default: 10}
${options.extraConfig ?? ''}
segments:
  region: {attribute: segment}
${options.behaviour === false ? '' : 'behaviours:\n  autopay: {attribute: autopay, values: [true], label: automatic payment}\n'}sources:
  crm:
    files: [customers.csv]
    feeds:
      - table: customers
        columns: {customer_id: id, signup_at: signup}
        attributes:
          segment: {column: segment, at_acquisition: true}
          autopay: {column: autopay, type: boolean, map: {yes: true, no: false}}
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
${options.churn === true ? churnSource : ''}`,
  );
  return dir;
}
