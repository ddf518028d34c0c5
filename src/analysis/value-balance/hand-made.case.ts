import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A hand-made workspace of 240 customers whose value map is known by
 * construction. Everyone signed up on 2024-01-01 (as_of 2024-12-31: 366 days,
 * 12.02 months of exposure each), so every customer weighs alike.
 * - Segments A (ids 1-60), B (61-120), C (121-180) and D (181-240); region
 *   north for odd ids, south for even.
 * - Customer i rates "Price and value" r = 2 + (i mod 4) on a 1-5 scale, so
 *   satisfaction v = 25·(r − 1) is 25, 50, 75 or 100, fifteen of each in every
 *   segment (equal satisfaction everywhere, mean 62.5); the NPS answer is 2r.
 * - Their monthly price is mult × (40 + 0.2·v) + δ, δ = 3·((7i mod 5) − 2),
 *   mult 1.3 in A (30% more at equal satisfaction), 0.8 in B (20% less) and 1
 *   in C and D; they pay a year of it (12 × the price) on 2024-03-01, C as a
 *   purchase of 12 × price + 24 and a refund of 24, D as a purchase of
 *   12 × price − 12, a fee of 36 and a credit of 24 (price = revenue + fees −
 *   refunds − credits, so every segment pays exactly 12 × its prices).
 * - δ, the ratings and the regions are balanced within every segment, so the
 *   fair-value line (price per month on satisfaction) is c·(41 + 0.205·v)
 *   with c = 12 / (366 / 30.4375), and a segment's deviation is
 *   c·52.5·(mult − 1.025): A +14.4375c, B −11.8125c, C and D −1.3125c (under
 *   the 10% threshold, 5.38c), regions 0.
 * - `events`: i mod 3 behaviour events each (balanced too: the deviations stay).
 * - `survey: false`: no survey file; `area`: the rating's area text.
 * Survey answers are dated 2024-09-01.
 */
export function makeValueMap(options: { survey?: boolean; events?: boolean; area?: string } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'cxray-value-map-'));
  const ids = Array.from({ length: 240 }, (_, k) => k + 1);
  const segment = (i: number): string => ['A', 'B', 'C', 'D'][Math.floor((i - 1) / 60)] ?? 'D';
  const mult: Record<string, number> = { A: 1.3, B: 0.8, C: 1, D: 1 };
  const payments: string[] = ['id,customer,date,kind,amount'];
  const survey: string[] = ['id,customer,date,instrument,area,score'];
  const events: string[] = ['customer,at,event'];
  for (const i of ids) {
    const s = segment(i);
    const r = 2 + (i % 4);
    const v = 25 * (r - 1);
    const price = (mult[s] ?? 1) * (40 + 0.2 * v) + 3 * (((7 * i) % 5) - 2);
    const year = 12 * price;
    if (s === 'C') payments.push(`p${i},${i},2024-03-01,purchase,${(year + 24).toFixed(2)}`, `r${i},${i},2024-03-01,refund,24.00`);
    else if (s === 'D') payments.push(`p${i},${i},2024-03-01,purchase,${(year - 12).toFixed(2)}`, `f${i},${i},2024-03-01,fee,36.00`, `c${i},${i},2024-03-01,credit,24.00`);
    else payments.push(`p${i},${i},2024-03-01,purchase,${year.toFixed(2)}`);
    survey.push(`a${i},${i},2024-09-01,rating,${options.area ?? 'Price and value'},${r}`, `n${i},${i},2024-09-01,nps,,${2 * r}`);
    for (let k = 0; k < i % 3; k += 1) events.push(`${i},2024-0${4 + k}-10T10:00:00Z,app_login`);
  }
  writeFileSync(join(dir, 'customers.csv'), ['id,signup,segment,region', ...ids.map((i) => `${i},2024-01-01,${segment(i)},${i % 2 === 1 ? 'north' : 'south'}`), ''].join('\n'));
  writeFileSync(join(dir, 'payments.csv'), [...payments, ''].join('\n'));
  const withSurvey = options.survey !== false;
  if (withSurvey) writeFileSync(join(dir, 'survey.csv'), [...survey, ''].join('\n'));
  if (options.events === true) writeFileSync(join(dir, 'events.csv'), [...events, ''].join('\n'));
  writeFileSync(
    join(dir, 'cxray.yaml'),
    `as_of: 2024-12-31
currency: USD
experience_areas:
  price_and_value: {label: Price and value, survey_areas: [Price and value]}
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
${
  withSurvey
    ? `  survey:
    files: [survey.csv]
    feeds:
      - table: survey_responses
        columns: {response_id: id, customer_id: customer, at: date, instrument: instrument, area: area, score: score}
`
    : ''
}${
  options.events === true
    ? `  events:
    files: [events.csv]
    feeds:
      - table: behaviour_events
        columns: {customer_id: customer, at: at, behaviour: event}
`
    : ''
}`,
  );
  return dir;
}
