import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SeededRandom } from '../../stats/seeded-random.case.js';

/** One customer of a hand-made changes workspace: every date UTC, `YYYY-MM-DD` or `YYYY-MM-DD HH:MM:SS`. */
export interface HandCustomer {
  id: string;
  region: string;
  arm: 'control' | 'treatment';
  signup: string;
  churnedAt?: string;
  /** When the customer switched on autopay (a behaviour event). */
  autopayAt?: string;
  payments: { at: string; kind: 'purchase' | 'fee' | 'refund' | 'credit'; amount: number }[];
  answers: { at: string; instrument: 'nps' | 'csat'; score: number }[];
}

/** as_of of every hand-made changes workspace. */
export const HAND_AS_OF = '2026-06-30';

/**
 * A workspace (customers with region and an experiment arm, payments,
 * survey answers written long, churn dates, autopay events) whose
 * customer_facts the real import builds, as_of 2026-06-30.
 */
export function makeChangesWorkspace(customers: readonly HandCustomer[], extraConfig = ''): string {
  const dir = mkdtempSync(join(tmpdir(), 'cxray-changes-'));
  const files: Record<string, { header: string; rows: string[] }> = {
    // Purchases carry a cost of goods (40% of the price), which net revenue in a change's or an experiment's sense leaves in.
    payments: {
      header: 'id,customer,at,kind,amount,cost',
      rows: customers.flatMap((c) => c.payments.map((p, k) => `${c.id}-p${k},${c.id},${p.at},${p.kind},${p.amount.toFixed(2)},${p.kind === 'purchase' ? (0.4 * p.amount).toFixed(2) : '0.00'}`)),
    },
    survey: { header: 'id,customer,at,instrument,score', rows: customers.flatMap((c) => c.answers.map((a, k) => `${c.id}-a${k},${c.id},${a.at},${a.instrument},${a.score}`)) },
    status: { header: 'customer,at,status', rows: customers.flatMap((c) => (c.churnedAt === undefined ? [] : [`${c.id},${c.churnedAt},churned`])) },
    events: { header: 'customer,at,event', rows: customers.flatMap((c) => (c.autopayAt === undefined ? [] : [`${c.id},${c.autopayAt},autopay_on`])) },
  };
  const write = (name: string, header: string, rows: string[]): void => writeFileSync(join(dir, `${name}.csv`), [header, ...rows, ''].join('\n'));
  write('customers', 'id,signup,region,arm', customers.map((c) => `${c.id},${c.signup},${c.region},${c.arm}`));
  for (const [name, f] of Object.entries(files)) if (f.rows.length > 0) write(name, f.header, f.rows);
  // A source whose file would be empty is left out of cxray.yaml (an export with a header and no rows is refused).
  const source = (name: string, yaml: string): string => ((files[name]?.rows.length ?? 0) > 0 ? yaml : '');
  writeFileSync(
    join(dir, 'cxray.yaml'),
    `as_of: ${HAND_AS_OF}
currency: USD
behaviours:
  autopay: {label: Automatic payment, event: autopay_on}
sources:
  crm:
    files: [customers.csv]
    feeds:
      - table: customers
        columns: {customer_id: id, signup_at: signup}
        attributes:
          region: {column: region, at_acquisition: true}
          arm: arm
${source('payments', `  pay:
    files: [payments.csv]
    feeds:
      - table: transactions
        columns: {transaction_id: id, customer_id: customer, at: at, amount: amount, currency: {value: USD}, kind: kind, cost: cost}
`)}${source('survey', `  survey:
    files: [survey.csv]
    feeds:
      - table: survey_responses
        columns: {response_id: id, customer_id: customer, at: at, instrument: instrument, score: score}
`)}${source('status', `  status:
    files: [status.csv]
    feeds:
      - table: status_changes
        columns: {customer_id: customer, at: at, status: status}
`)}${source('events', `  events:
    files: [events.csv]
    feeds:
      - table: behaviour_events
        columns: {customer_id: customer, at: at, behaviour: event}
`)}${extraConfig}`,
  );
  return dir;
}

const DAY = 86_400_000;
const START = Date.parse('2024-07-01T00:00:00Z');
const AS_OF_END = Date.parse('2026-07-01T00:00:00Z');
const CHANGE = Date.parse('2025-10-01T00:00:00Z');
const stamp = (ms: number): string => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

/**
 * `n` customers of a small subscription company, drawn from `seed`: region
 * North for a third; signups spread from 2024-07 to 2026-03; a monthly
 * payment of 20-60 (fees and refunds now and then); churn at 3% a month
 * (North 2% from the change date 2025-10-01); autopay switched on by 40%;
 * NPS and CSAT answers about every four months, each customer with their
 * own level, North's NPS answers raised by `npsShift` scale points from the
 * change date; the experiment arm at random.
 */
export function handCustomers(seed: number, n: number, npsShift = 1): HandCustomer[] {
  const rng = new SeededRandom(seed);
  const out: HandCustomer[] = [];
  for (let i = 0; i < n; i += 1) {
    const north = rng.uniform() < 1 / 3;
    const region = north ? 'North' : (['South', 'East', 'West'][Math.floor(rng.uniform() * 3)] ?? 'South');
    const signupMs = START + Math.floor(rng.uniform() * 640) * DAY + Math.floor(rng.uniform() * 86_400) * 1000;
    let churnMs: number | null = null;
    for (let t = signupMs; t < AS_OF_END; t += 30 * DAY) {
      const hazard = north && t >= CHANGE ? 0.02 : 0.03;
      if (rng.uniform() < hazard) {
        churnMs = Math.min(AS_OF_END - 1000, t + Math.floor(rng.uniform() * 30 * DAY));
        break;
      }
    }
    const endMs = churnMs ?? AS_OF_END;
    const price = 20 + Math.round(40 * rng.uniform());
    const payments: HandCustomer['payments'] = [];
    for (let t = signupMs; t < endMs; t += 30 * DAY) {
      payments.push({ at: stamp(t), kind: 'purchase', amount: price });
      if (rng.uniform() < 0.05) payments.push({ at: stamp(t + DAY), kind: 'fee', amount: 5 });
      if (rng.uniform() < 0.03) payments.push({ at: stamp(t + 2 * DAY), kind: 'refund', amount: price });
    }
    const level = 2 * rng.normal();
    const answers: HandCustomer['answers'] = [];
    for (let t = signupMs + Math.floor(rng.uniform() * 120) * DAY; t < endMs; t += (60 + Math.floor(rng.uniform() * 120)) * DAY) {
      const shift = north && t >= CHANGE ? npsShift : 0;
      answers.push({ at: stamp(t), instrument: 'nps', score: Math.min(10, Math.max(0, Math.round(7 + level + shift + 1.5 * rng.normal()))) });
      if (rng.uniform() < 0.7) answers.push({ at: stamp(t + 3600_000), instrument: 'csat', score: Math.min(5, Math.max(1, Math.round(3.6 + level / 3 + rng.normal()))) });
    }
    const customer: HandCustomer = { id: `h${String(i + 1).padStart(4, '0')}`, region, arm: rng.uniform() < 0.5 ? 'treatment' : 'control', signup: stamp(signupMs), payments, answers };
    if (churnMs !== null) customer.churnedAt = stamp(churnMs);
    if (rng.uniform() < 0.4) customer.autopayAt = stamp(Math.min(endMs - 1000, signupMs + Math.floor(rng.uniform() * 300) * DAY));
    out.push(customer);
  }
  return out;
}
