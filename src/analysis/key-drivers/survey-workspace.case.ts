import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One customer of a hand-made survey workspace. */
export interface SurveyCustomer {
  id: number;
  signup: string;
  segment: string;
  autopay?: boolean;
  /** Churn date, if the customer churned. */
  churnedAt?: string;
  /** The customer's responses: an overall NPS score and area ratings (area -> score), answered at `at`. */
  responses: { id?: string; at: string; nps?: number; ratings: Record<string, number> }[];
}

/**
 * A workspace whose survey is written long (one answer per line: response,
 * customer, date, question, instrument, area, score; a row is its response
 * and question), so every number of the key
 * drivers is known by construction. as_of 2025-12-31: the 12-month
 * retention window opens 2025-01-01.
 */
export function makeSurveyWorkspace(customers: readonly SurveyCustomer[], extraConfig = ''): string {
  const dir = mkdtempSync(join(tmpdir(), 'cxray-key-drivers-'));
  writeFileSync(
    join(dir, 'customers.csv'),
    ['id,signup,segment,autopay', ...customers.map((c) => `${c.id},${c.signup},${c.segment},${c.autopay === true ? 'yes' : 'no'}`), ''].join('\n'),
  );
  const answers: string[] = ['response,customer,date,question,instrument,area,score'];
  for (const c of customers) {
    c.responses.forEach((r, k) => {
      const id = r.id ?? `r${c.id}-${k}`;
      if (r.nps !== undefined) answers.push(`${id},${c.id},${r.at},Q1,nps,,${r.nps}`);
      for (const [area, score] of Object.entries(r.ratings)) answers.push(`${id},${c.id},${r.at},Q2 ${area},rating,${area},${score}`);
    });
  }
  writeFileSync(join(dir, 'survey.csv'), [...answers, ''].join('\n'));
  const churned = customers.filter((c) => c.churnedAt !== undefined);
  writeFileSync(join(dir, 'status.csv'), ['customer,date,status', ...churned.map((c) => `${c.id},${c.churnedAt ?? ''},churned`), ''].join('\n'));
  writeFileSync(
    join(dir, 'cxray.yaml'),
    `as_of: 2025-12-31
currency: USD
behaviours:
  autopay: {label: Automatic payment, attribute: autopay, values: ['yes']}
sources:
  crm:
    files: [customers.csv]
    feeds:
      - table: customers
        columns: {customer_id: id, signup_at: signup}
        attributes:
          segment: {column: segment, at_acquisition: true}
          autopay: autopay
  survey:
    files: [survey.csv]
    row_key: [response, question]
    feeds:
      - table: survey_responses
        columns: {response_id: response, customer_id: customer, at: date, question: question, instrument: instrument, area: area, score: score}
${
  churned.length === 0
    ? ''
    : `  status:
    files: [status.csv]
    feeds:
      - table: status_changes
        columns: {customer_id: customer, at: date, status: status}
`
}${extraConfig}`,
  );
  return dir;
}

/**
 * 60 customers with one response each, known by construction: the NPS
 * answer y = i mod 11; Speed = 1 + 0.4·y (the outcome itself, rescaled: a
 * leak); Support rises with y, give or take one point; Support copy =
 * Support (collinear); Price is nearly unrelated. Autopay (even ids) never
 * churns; two thirds of the other customers churn in 2025 (a flag that
 * separates churn).
 */
export function leakAndCollinearCustomers(): SurveyCustomer[] {
  return Array.from({ length: 60 }, (_, k) => {
    const i = k + 1;
    const y = i % 11;
    const support = Math.min(5, Math.max(1, Math.round(1 + y / 2.5) + ((i * 7) % 3) - 1));
    const price = 1 + ((i * 13) % 5);
    const day = String(1 + (i % 28)).padStart(2, '0');
    const customer: SurveyCustomer = {
      id: i,
      signup: `${2023 + (i % 2)}-${String(1 + (i % 12)).padStart(2, '0')}-${day}`,
      segment: i % 3 === 0 ? 'retail' : 'smb',
      autopay: i % 2 === 0,
      responses: [{ at: `2024-06-${day}`, nps: y, ratings: { Speed: 1 + 0.4 * y, Support: support, 'Support copy': support, Price: price } }],
    };
    if (i % 2 === 1 && i % 3 !== 0) customer.churnedAt = `2025-${String(1 + (i % 12)).padStart(2, '0')}-15`;
    return customer;
  });
}
