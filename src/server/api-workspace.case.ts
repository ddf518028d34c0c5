import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The plans of the hand-made company: four of them start like spreadsheet formulas. */
export const API_PLANS = ['basic', '=HYPERLINK("http://evil.example")', '-pro', '@home', '+plus'] as const;

/** Customers of the hand-made company. */
export const API_CUSTOMERS = 120;

/**
 * A small hand-made company for the API tests (120 customers, as of
 * 2025-12-31): a region, a plan whose values start like spreadsheet
 * formulas, an e-mail attribute hashed on import (`pii: hash`), autopay for
 * every third customer, one to three purchases each, tickets, an NPS answer
 * and a comment each (some with an e-mail address or phone number in the
 * text), a second survey whose comment column is hashed on import, and
 * churn for every seventh customer.
 */
export function makeApiWorkspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cxray-api-'));
  const ids = Array.from({ length: API_CUSTOMERS }, (_, k) => k + 1);
  writeFileSync(join(dir, 'customers.csv'), `${customerLines(ids).join('\n')}\n`);
  const pay: string[] = ['id,customer,date,amount'];
  // Purchases spread over the year, 1 to 6 per customer, at varied amounts: enough repeat buyers to fit the lifetime-value models.
  for (const i of ids) {
    for (let k = 0; k < 1 + ((i * 7) % 6); k += 1) {
      const day = new Date(Date.UTC(2025, 1 + ((i + k * 3) % 10), 1 + ((i * 13 + k * 5) % 27)));
      pay.push(`p${i}-${k},${i},${day.toISOString().slice(0, 10)},${(15 + ((i * 31 + k * 17) % 60) + (i % 5) * 0.25).toFixed(2)}`);
    }
  }
  writeFileSync(join(dir, 'payments.csv'), `${pay.join('\n')}\n`);
  const tickets = ['id,customer,date,channel', ...ids.filter((i) => i % 4 === 0).map((i) => `t${i},${i},2025-06-0${1 + (i % 8)},${i % 8 === 0 ? 'phone' : 'email'}`)];
  writeFileSync(join(dir, 'tickets.csv'), `${tickets.join('\n')}\n`);
  const survey = ['id,customer,date,score,comment'];
  for (const i of ids) {
    const comment = i % 10 === 1 ? `Call me on 07700 900${String(i).padStart(3, '0')} or write to person${i}@example.com` : i % 3 === 0 ? 'Paying automatically is easy' : 'The bill was confusing';
    survey.push(`r${i},${i},2025-09-0${1 + (i % 9)},${i % 3 === 0 ? 9 + (i % 2) : i % 11},"${comment}"`);
  }
  writeFileSync(join(dir, 'survey.csv'), `${survey.join('\n')}\n`);
  writeFileSync(join(dir, 'feedback.csv'), `id,customer,date,note\n${ids.filter((i) => i <= 10).map((i) => `f${i},${i},2025-10-01,Secret words of customer ${i}`).join('\n')}\n`);
  writeFileSync(join(dir, 'churn.csv'), `customer,date\n${ids.filter((i) => i % 7 === 0).map((i) => `${i},2025-10-15`).join('\n')}\n`);
  writeFileSync(
    join(dir, 'cxray.yaml'),
    `as_of: 2025-12-31
currency: USD
handling_cost: {default: 10}
segments:
  region: {attribute: region}
  plan: {attribute: plan}
behaviours:
  autopay: {attribute: autopay, values: [true], label: automatic payment}
sources:
  crm:
    files: [customers.csv]
    pii: {email: hash}
    feeds:
      - table: customers
        columns: {customer_id: id, signup_at: signup}
        attributes:
          region: {column: region, at_acquisition: true}
          plan: {column: plan, at_acquisition: true}
          email: {column: email}
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
      - table: survey_responses
        columns: {response_id: id, customer_id: customer, at: date, instrument: {value: comment}, comment: comment}
  feedback:
    files: [feedback.csv]
    pii: {note: hash}
    feeds:
      - table: survey_responses
        columns: {response_id: id, customer_id: customer, at: date, instrument: {value: comment}, comment: note}
  churn:
    files: [churn.csv]
    feeds:
      - table: status_changes
        columns: {customer_id: customer, at: date, status: {value: churned}}
`,
  );
  return dir;
}

function customerLines(ids: readonly number[]): string[] {
  return [
    'id,signup,region,plan,email,autopay',
    ...ids.map((i) => {
      const plan = API_PLANS[i % API_PLANS.length] ?? 'basic';
      return `${i},2025-0${1 + (i % 3)}-01,${i % 2 === 0 ? 'north' : 'south'},"${plan.replaceAll('"', '""')}",person${i}@example.com,${i % 3 === 0 ? 'yes' : 'no'}`;
    }),
  ];
}

/** One more customer in the customers export (for a re-import). */
export function addApiCustomer(dir: string, id: number): void {
  appendFileSync(join(dir, 'customers.csv'), `${customerLines([id])[1] ?? ''}\n`);
}
