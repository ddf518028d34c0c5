import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The hand-made company's customers: ids 1..CUSTOMERS (lcm of 2, 3, 4, 5, 6 and 7, so every pattern below is balanced). */
export const CUSTOMERS = 420;

/** A customer's answers in the hand-made company, known by construction. */
export interface HandMadeAnswers {
  billing: number;
  support: number;
  price: number;
  /** Speed in the first response and in the second (a year later). */
  speed: [number, number];
  nps: [number, number];
  csat: [number, number];
}

/**
 * Customer i's ratings (1-5): Billing {1, 2, 2, 3} by i mod 4 (mean 2: a
 * score of 25), Support {3, 4, 4, 4, 5} by i mod 5 (mean 4: 75), Price
 * {2, 3, 3, 3, 3, 3, 4} by i mod 7 (mean 3: 50), the same in both responses;
 * Speed 2 + (i mod 2) in the first response and δ = i mod 3 more in the
 * second (mean 2.5 then 3.5: 50 overall, rising one step a year). NPS
 * = min(10, Billing + Support + Price + Speed − 6 + i mod 2), CSAT the
 * rounded mean rating.
 */
export function answersOf(i: number): HandMadeAnswers {
  const billing = [1, 2, 2, 3][i % 4] ?? 0;
  const support = [3, 4, 4, 4, 5][i % 5] ?? 0;
  const price = [2, 3, 3, 3, 3, 3, 4][i % 7] ?? 0;
  const first = 2 + (i % 2);
  const speed: [number, number] = [first, first + (i % 3)];
  const nps = speed.map((s) => Math.min(10, billing + support + price + s - 6 + (i % 2))) as [number, number];
  const csat = speed.map((s) => Math.round((billing + support + price + s) / 4)) as [number, number];
  return { billing, support, price, speed, nps, csat };
}

/** The dates of the two responses: 365 days apart. */
export const RESPONSE_DATES = ['2024-03-15', '2025-03-15'] as const;

/**
 * A workspace of CUSTOMERS customers (signed up 2024-01-01, as_of
 * 2025-12-31: 731 days of exposure each), each answering the survey twice
 * (answersOf). Help desk: every third customer phones about a "Billing
 * question" on 2024-06-01 (resolved and rated good when i is odd, unresolved
 * and rated bad when even: half and half), every fourth chats a "How-to
 * question" (always resolved, rated good). Even ids are segment `even` and
 * pay by autopay. Experience areas: billing (its contact reason and
 * autopay listed), support (declared `beyond_expected`), price, speed (no
 * word of the framework: no characteristic). `extraConfig` is appended to
 * cxray.yaml.
 */
export function makeScorecardWorkspace(extraConfig = ''): string {
  const dir = mkdtempSync(join(tmpdir(), 'cxray-scorecard-'));
  const ids = Array.from({ length: CUSTOMERS }, (_, k) => k + 1);
  writeFileSync(join(dir, 'customers.csv'), ['id,signup,segment,autopay', ...ids.map((i) => `${i},2024-01-01,${i % 2 === 0 ? 'even' : 'odd'},${i % 2 === 0 ? 'yes' : 'no'}`), ''].join('\n'));
  const survey = ['response,customer,date,question,instrument,area,score'];
  const tickets = ['id,customer,date,channel,reason,resolved,satisfaction'];
  for (const i of ids) {
    const a = answersOf(i);
    RESPONSE_DATES.forEach((date, k) => {
      const r = `r${i}-${k}`;
      survey.push(
        `${r},${i},${date},Q1,nps,,${a.nps[k] ?? ''}`,
        `${r},${i},${date},Q3,csat,,${a.csat[k] ?? ''}`,
        `${r},${i},${date},Q2 billing,rating,Billing,${a.billing}`,
        `${r},${i},${date},Q2 support,rating,Support,${a.support}`,
        `${r},${i},${date},Q2 price,rating,Price,${a.price}`,
        `${r},${i},${date},Q2 speed,rating,Speed,${a.speed[k] ?? ''}`,
      );
    });
    if (i % 3 === 0) tickets.push(`p${i},${i},2024-06-01,phone,Billing question,${i % 2 === 1 ? 'yes' : 'no'},${i % 2 === 1 ? 'good' : 'bad'}`);
    if (i % 4 === 0) tickets.push(`c${i},${i},2024-06-01,chat,How-to question,yes,good`);
  }
  writeFileSync(join(dir, 'survey.csv'), [...survey, ''].join('\n'));
  writeFileSync(join(dir, 'tickets.csv'), [...tickets, ''].join('\n'));
  writeFileSync(
    join(dir, 'cxray.yaml'),
    `as_of: 2025-12-31
currency: USD
behaviours:
  autopay: {label: Automatic payment, attribute: autopay, values: ['yes']}
experience_areas:
  billing: {label: Billing and payments, survey_areas: [Billing], interaction_reasons: [Billing question], behaviours: [autopay]}
  support: {label: Customer support, survey_areas: [Support], characteristic: beyond_expected}
  price: {label: Price and value, survey_areas: [Price]}
  speed: {label: Speed, survey_areas: [Speed]}
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
  tickets:
    files: [tickets.csv]
    feeds:
      - table: interactions
        columns:
          interaction_id: id
          customer_id: customer
          at: date
          channel: channel
          reason: reason
          resolved: {column: resolved, map: {yes: true, no: false}}
          satisfaction: {column: satisfaction, map: {good: 1, bad: 0}}
${extraConfig}`,
  );
  return dir;
}
