import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SeededRandom } from '../../stats/seeded-random.case.js';

const DAY = 86_400_000;
const START = Date.parse('2024-01-01T00:00:00Z');
/**
 * Fees fall in three weeks 15 weeks apart (Mondays): a customer still without
 * the fee in one of them and charged in the next is charged after its 90
 * days as a control have ended, so the controls' outcomes never carry the
 * fee's effect and the comparison's target is exactly the planted effect.
 */
const FEE_WEEKS = ['2024-05-06', '2024-08-19', '2024-12-02'].map((d) => Date.parse(`${d}T00:00:00Z`));
/** The null line's week: the last whose 90 days end by as_of, after every overage fee's 100 days of effect. */
const ADMIN_WEEK = Date.parse('2025-03-24T00:00:00Z');
/** The end of as_of (2025-06-30). */
export const AFTERMATH_AS_OF = '2025-06-30';
const END = Date.parse('2025-07-01T00:00:00Z');
/** Baseline churn: a constant daily hazard of 1/1000, so 1 − e^(−90/1000) churn in any 90 days. */
const MEAN_LIFE_DAYS = 1000;

/** What a fee does in the simulated aftermath: extra churn (within 8 to 90 days of it) and worse answers for 100 days. */
export interface FeeEffect {
  /** Chance the fee makes the customer leave, on a day drawn from 8 to 90 days after it. */
  extraChurn: number;
  /** Answers within 100 days of the fee: chances of a detractor and a promoter (baseline 0.3 and 0.4). */
  detractor: number;
  promoter: number;
}

export const NO_EFFECT: FeeEffect = { extraChurn: 0, detractor: 0.3, promoter: 0.4 };
/** 90-day churn +0.2·e^(−0.09) ≈ +18.3 points; NPS from +10 to −45 (−55 points). */
export const PLANTED_EFFECT: FeeEffect = { extraChurn: 0.2, detractor: 0.6, promoter: 0.15 };
export const PLANTED_CHURN_DIFFERENCE = 0.2 * Math.exp(-90 / MEAN_LIFE_DAYS);
export const PLANTED_NPS_DIFFERENCE = -55;

export interface AftermathRows {
  /** id, signup (ms), segment, churn (ms or null), latest NPS score or null. */
  customers: { id: string; signup: number; segment: string; churn: number | null; latestNps: number | null }[];
  /** id, at (ms), kind, category, amount. */
  payments: { id: string; at: number; kind: 'purchase' | 'fee'; category: string; amount: number }[];
  answers: { id: string; at: number; score: number }[];
}

function npsScore(rng: SeededRandom, detractor: number, promoter: number): number {
  const u = rng.uniform();
  if (u < detractor) return Math.floor(rng.uniform() * 7);
  if (u < detractor + promoter) return 9 + Math.floor(rng.uniform() * 2);
  return 7 + Math.floor(rng.uniform() * 2);
}

/**
 * A company whose fee aftermath is known: customers sign up in 2024Q1 (a
 * first purchase of 10-100 then, segment A or B), churn at a constant hazard
 * (mean life 1,000 days), answer NPS about monthly; 40% are charged
 * `overage_fee` once, at a uniform instant of one of the fee weeks (if still
 * there), and `effect` says what follows it. A second line, `admin_fee` (25%,
 * in the week of 2025-03-24, after every overage fee's effect has passed), is
 * followed by nothing: a null line.
 */
export function aftermathRows(seed: number, customers: number, effect: FeeEffect, prefix = 'c'): AftermathRows {
  const rng = new SeededRandom(seed);
  const rows: AftermathRows = { customers: [], payments: [], answers: [] };
  for (let i = 0; i < customers; i += 1) {
    const id = `${prefix}${i}`;
    const signup = START + Math.floor(rng.uniform() * 90) * DAY + Math.floor(rng.uniform() * 86_400) * 1000;
    const segment = rng.uniform() < 0.5 ? 'A' : 'B';
    let churn: number | null = signup + Math.floor(-Math.log(1 - rng.uniform()) * MEAN_LIFE_DAYS * DAY);
    rows.payments.push({ id, at: signup, kind: 'purchase', category: 'plan', amount: 10 + Math.floor(rng.uniform() * 91) });
    const inWeek = (start: number): number => start + Math.floor(rng.uniform() * 7 * 86_400) * 1000;
    const fee = rng.uniform() < 0.4 ? inWeek(FEE_WEEKS[Math.floor(rng.uniform() * FEE_WEEKS.length)] ?? 0) : null;
    const admin = rng.uniform() < 0.25 ? inWeek(ADMIN_WEEK) : null;
    const charged = fee !== null && fee < churn;
    if (charged) {
      rows.payments.push({ id, at: fee, kind: 'fee', category: 'overage_fee', amount: 15 });
      if (rng.uniform() < effect.extraChurn) churn = Math.min(churn, fee + (8 + Math.floor(rng.uniform() * 82)) * DAY);
    }
    if (admin !== null && admin < churn) rows.payments.push({ id, at: admin, kind: 'fee', category: 'admin_fee', amount: 5 });
    if (churn >= END) churn = null;
    let latestNps: number | null = null;
    for (let at = signup + Math.floor(rng.uniform() * 60) * DAY; at < (churn ?? END); at += (10 + Math.floor(rng.uniform() * 40)) * DAY) {
      const after = charged && at >= fee && at < fee + 100 * DAY;
      const score = after ? npsScore(rng, effect.detractor, effect.promoter) : npsScore(rng, NO_EFFECT.detractor, NO_EFFECT.promoter);
      rows.answers.push({ id, at, score });
      latestNps = score;
    }
    rows.customers.push({ id, signup, segment, churn, latestNps });
  }
  return rows;
}

const stamp = (ms: number): string => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

/** The rows as a workspace: exports and a cxray.yaml with `segment` as the segment matched on. */
export function makeAftermathCompany(seed: number, customers: number, effect: FeeEffect): string {
  const dir = mkdtempSync(join(tmpdir(), 'cxray-fee-aftermath-'));
  const rows = aftermathRows(seed, customers, effect);
  writeFileSync(join(dir, 'customers.csv'), ['id,signup,segment', ...rows.customers.map((c) => `${c.id},${stamp(c.signup)},${c.segment}`), ''].join('\n'));
  writeFileSync(join(dir, 'payments.csv'), ['id,customer,at,kind,category,amount', ...rows.payments.map((p, i) => `p${i},${p.id},${stamp(p.at)},${p.kind},${p.category},${p.amount.toFixed(2)}`), ''].join('\n'));
  writeFileSync(join(dir, 'survey.csv'), ['id,customer,at,score', ...rows.answers.map((a, i) => `r${i},${a.id},${stamp(a.at)},${a.score}`), ''].join('\n'));
  writeFileSync(
    join(dir, 'status.csv'),
    ['customer,at,status', ...rows.customers.flatMap((c) => [`${c.id},${stamp(c.signup)},active`, ...(c.churn === null ? [] : [`${c.id},${stamp(c.churn)},churned`])]), ''].join('\n'),
  );
  writeFileSync(
    join(dir, 'cxray.yaml'),
    `as_of: ${AFTERMATH_AS_OF}
currency: USD
timezone: UTC
segments:
  segment: {attribute: segment}
fees:
  overage_fee: {label: Overage fee}
  admin_fee: {label: Admin fee}
sources:
  crm:
    files: [customers.csv]
    feeds:
      - table: customers
        columns: {customer_id: id, signup_at: signup}
        attributes:
          segment: {column: segment, at_acquisition: true}
  pay:
    files: [payments.csv]
    feeds:
      - table: transactions
        columns: {transaction_id: id, customer_id: customer, at: at, amount: amount, currency: {value: USD}, kind: kind, category: category}
  survey:
    files: [survey.csv]
    feeds:
      - table: survey_responses
        columns: {response_id: id, customer_id: customer, at: at, instrument: {value: nps}, score: score}
  subs:
    files: [status.csv]
    feeds:
      - table: status_changes
        columns: {customer_id: customer, at: at, status: status}
`,
  );
  return dir;
}
