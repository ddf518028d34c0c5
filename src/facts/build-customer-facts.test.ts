import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../engine/duckdb/engine.js';
import type { Row } from '../engine/types.js';
import { AS_OF, config, loadCompany } from './hand-built-company.case.js';
import { buildCustomerFacts, type FactsSummary } from './index.js';

// Every expected value below is worked out by hand from hand-built-company.case.ts
// (as_of 2024-03-31: rows dated up to 2024-03-31 23:59:59 count, 2024-04-01 00:00 does not).

let engine: DuckDbEngine;
let summary: FactsSummary;
let facts: Record<string, Row>;

const pick = (names: string[]): Record<string, Record<string, unknown>> =>
  Object.fromEntries(Object.entries(facts).map(([id, row]) => [id, Object.fromEntries(names.map((n) => [n, row[n]]))]));

beforeAll(async () => {
  engine = await DuckDbEngine.open(':memory:');
  await loadCompany(engine);
  summary = await buildCustomerFacts(engine, { asOf: AS_OF, config });
  const rows = await engine.query('SELECT * FROM customer_facts');
  facts = Object.fromEntries(rows.map((r) => [String(r['customer_id']), r]));
});

afterAll(async () => {
  await engine.close();
});

describe('buildCustomerFacts on a hand-built company', () => {
  it('writes one row per customer and reports the tables it read', () => {
    expect(summary.rows).toBe(5);
    expect(Object.keys(facts).sort()).toEqual(['c1', 'c2', 'c3', 'c4', 'c5']);
    expect(summary.tablesMissing).toEqual([]);
    expect(summary.tablesUsed).toHaveLength(7);
    expect(summary.seconds).toBeGreaterThan(0);
  });

  it('copies attributes, renaming the one that has a facts column name (status)', () => {
    expect(pick(['billing', 'region', 'seats', 'attribute_status'])['c1']).toEqual({ billing: 'paperless', region: 'north', seats: 10, attribute_status: 'gold' });
    expect(facts['c1']?.['status']).toBe('active');
  });

  it('measures tenure and (fiscal, from February) cohorts', () => {
    expect(pick(['tenure_days', 'cohort_month', 'cohort_quarter'])).toEqual({
      // 2023-01-15 -> 2024-03-31: 365 + 31 + 29 + 16 days; Jan is in the Nov-Jan fiscal quarter.
      c1: { tenure_days: 441n, cohort_month: '2023-01-01', cohort_quarter: '2022-11-01' },
      // Signed up at 23:00 on the as_of day.
      c2: { tenure_days: 0n, cohort_month: '2024-03-01', cohort_quarter: '2024-02-01' },
      c3: { tenure_days: null, cohort_month: null, cohort_quarter: null },
      // 2022-11-30 -> 2023-11-30 -> 2024-03-31: 365 + 1 + 31 + 31 + 29 + 30.
      c4: { tenure_days: 487n, cohort_month: '2022-11-01', cohort_quarter: '2022-11-01' },
      c5: { tenure_days: 90n, cohort_month: '2024-01-01', cohort_quarter: '2023-11-01' },
    });
  });

  it('sums money by kind, exactly, and per declared fee category', () => {
    const zero = '0.0000';
    expect(pick(['revenue', 'fees', 'refunds', 'credits', 'cost_of_goods', 'net_revenue', 'fee_late_fee', 'fee_late_fee_2', 'fee_paper_bill'])).toEqual({
      // 100 + 50 + 25.50 + 10 (the 999 on 2024-04-01 is after as_of); fees 5 + 3 + 1.25 + 2 (undeclared 'Other fee');
      // cost 40 + 20 + 10; net 185.50 + 11.25 - 25.50 - 4 - 70.
      c1: { revenue: '185.5000', fees: '11.2500', refunds: '25.5000', credits: '4.0000', cost_of_goods: '70.0000', net_revenue: '97.2500', fee_late_fee: '5.0000', fee_late_fee_2: '3.0000', fee_paper_bill: '1.2500' },
      c2: { revenue: '20.0000', fees: zero, refunds: zero, credits: zero, cost_of_goods: zero, net_revenue: '20.0000', fee_late_fee: zero, fee_late_fee_2: zero, fee_paper_bill: zero },
      c3: { revenue: zero, fees: zero, refunds: zero, credits: zero, cost_of_goods: zero, net_revenue: zero, fee_late_fee: zero, fee_late_fee_2: zero, fee_paper_bill: zero },
      c4: { revenue: zero, fees: '7.0000', refunds: '1.0000', credits: zero, cost_of_goods: zero, net_revenue: '6.0000', fee_late_fee: '7.0000', fee_late_fee_2: zero, fee_paper_bill: zero },
      c5: { revenue: zero, fees: zero, refunds: zero, credits: zero, cost_of_goods: zero, net_revenue: zero, fee_late_fee: zero, fee_late_fee_2: zero, fee_paper_bill: zero },
    });
  });

  it('counts purchases and purchase days, and gives (x, t_x, T) only to buyers', () => {
    const none = { transaction_count: 0n, purchase_count: 0n, purchase_days: 0n, first_purchase_at: null, last_purchase_at: null, frequency: null, recency_days: null, age_days: null };
    expect(pick(['transaction_count', 'purchase_count', 'purchase_days', 'first_purchase_at', 'last_purchase_at', 'frequency', 'recency_days', 'age_days'])).toEqual({
      // Two purchases on 2024-01-10 make one purchase day: days 01-10, 02-01, 03-30.
      // 01-10 -> 03-30 is 21 + 29 + 30 = 80 days; -> 03-31 is 81.
      c1: {
        transaction_count: 10n,
        purchase_count: 4n,
        purchase_days: 3n,
        first_purchase_at: '2024-01-10T09:00:00.000Z',
        last_purchase_at: '2024-03-30T23:59:59.000Z',
        frequency: 2n,
        recency_days: 80n,
        age_days: 81n,
      },
      // A purchase in the last second of the as_of day counts.
      c2: {
        transaction_count: 1n,
        purchase_count: 1n,
        purchase_days: 1n,
        first_purchase_at: '2024-03-31T23:59:59.000Z',
        last_purchase_at: '2024-03-31T23:59:59.000Z',
        frequency: 0n,
        recency_days: 0n,
        age_days: 0n,
      },
      c3: none,
      // Only a fee and a refund: no purchase, so NULL, not -1 or 0.
      c4: { ...none, transaction_count: 2n },
      c5: none,
    });
  });

  it('counts interactions by channel and costs each through its COALESCE branch', () => {
    const c1 = pick([
      'interaction_count',
      'interactions_phone',
      'interactions_email',
      'interactions_chat',
      'interactions_walk_in',
      'interactions_web',
      'interactions_other',
      'handling_minutes',
      'unresolved_count',
    ])['c1'];
    expect(c1).toEqual({
      interaction_count: 8n,
      interactions_phone: 3n,
      interactions_email: 1n,
      interactions_chat: 1n,
      interactions_walk_in: 1n,
      interactions_web: 1n,
      interactions_other: 1n,
      handling_minutes: 22.5,
      unresolved_count: 2n,
    });
    expect(pick(['cost_to_serve', 'cost_to_serve_phone', 'cost_to_serve_email', 'cost_to_serve_chat', 'cost_to_serve_walk_in', 'cost_to_serve_web', 'cost_to_serve_other', 'net_value'])).toEqual({
      // phone: 10 min x 1.50 + own cost 3.30 + own cost 2.00 (beats 4 min x 1.50); chat: 6 min x default 0.50;
      // email: no minutes -> flat 2; walk-in: flat 10 (configured as walk_in); web: nothing applies -> 0;
      // other: 2.5 min x default 0.50. Net value 97.25 - 36.55.
      c1: {
        cost_to_serve: '36.5500',
        cost_to_serve_phone: '20.3000',
        cost_to_serve_email: '2.0000',
        cost_to_serve_chat: '3.0000',
        cost_to_serve_walk_in: '10.0000',
        cost_to_serve_web: '0.0000',
        cost_to_serve_other: '1.2500',
        net_value: '60.7000',
      },
      // email with 3 minutes: the per-minute default (1.50) comes before the flat email cost (2).
      c2: { cost_to_serve: '1.5000', cost_to_serve_phone: '0.0000', cost_to_serve_email: '1.5000', cost_to_serve_chat: '0.0000', cost_to_serve_walk_in: '0.0000', cost_to_serve_web: '0.0000', cost_to_serve_other: '0.0000', net_value: '18.5000' },
      c3: { cost_to_serve: '0.0000', cost_to_serve_phone: '0.0000', cost_to_serve_email: '0.0000', cost_to_serve_chat: '0.0000', cost_to_serve_walk_in: '0.0000', cost_to_serve_web: '0.0000', cost_to_serve_other: '0.0000', net_value: '0.0000' },
      c4: { cost_to_serve: '0.0000', cost_to_serve_phone: '0.0000', cost_to_serve_email: '0.0000', cost_to_serve_chat: '0.0000', cost_to_serve_walk_in: '0.0000', cost_to_serve_web: '0.0000', cost_to_serve_other: '0.0000', net_value: '6.0000' },
      c5: { cost_to_serve: '0.0000', cost_to_serve_phone: '0.0000', cost_to_serve_email: '0.0000', cost_to_serve_chat: '0.0000', cost_to_serve_walk_in: '0.0000', cost_to_serve_web: '0.0000', cost_to_serve_other: '0.0000', net_value: '0.0000' },
    });
  });

  it('summarises survey answers dated by as_of', () => {
    const names = ['survey_responses', 'latest_nps', 'nps_class', 'first_nps_at', 'latest_csat', 'mean_csat', 'latest_ces', 'mean_rating', 'comment_count'];
    const noAnswers = { survey_responses: 0n, latest_nps: null, nps_class: null, first_nps_at: null, latest_csat: null, mean_csat: null, latest_ces: null, mean_rating: null, comment_count: 0n };
    expect(pick(names)).toEqual({
      // ids r1, r2, r3 (r4 is after as_of) + 2 rows without an id; latest NPS 8 (2024-03-01); ratings 4 and 2; one non-blank comment.
      c1: { survey_responses: 5n, latest_nps: 8, nps_class: 'passive', first_nps_at: '2024-01-01T09:00:00.000Z', latest_csat: 4, mean_csat: 4, latest_ces: 3, mean_rating: 3, comment_count: 1n },
      c2: { survey_responses: 3n, latest_nps: 10, nps_class: 'promoter', first_nps_at: '2024-03-10T09:00:00.000Z', latest_csat: 5, mean_csat: 3.5, latest_ces: null, mean_rating: null, comment_count: 0n },
      c3: noAnswers,
      c4: { ...noAnswers, survey_responses: 1n, latest_nps: 3, nps_class: 'detractor', first_nps_at: '2024-02-01T09:00:00.000Z' },
      c5: noAnswers,
    });
    expect(facts['c1']?.['mean_nps']).toBeCloseTo((9 + 6 + 8) / 3, 12);
    expect(facts['c2']?.['mean_nps']).toBe(10);
  });

  it('marks behaviours adopted by event (dated) and by attribute (undated)', () => {
    expect(pick(['adopted_app', 'adopted_app_at', 'adopted_autopay', 'adopted_autopay_at', 'adopted_big', 'adopted_big_at', 'adopted_paperless', 'adopted_paperless_at', 'behaviour_count'])).toEqual({
      // autopay first seen 01-15 (also 02-01); billing 'paperless'; seats 10.
      c1: { adopted_app: false, adopted_app_at: null, adopted_autopay: true, adopted_autopay_at: '2024-01-15T00:00:00.000Z', adopted_big: true, adopted_big_at: null, adopted_paperless: true, adopted_paperless_at: null, behaviour_count: 3n },
      // autopay only after as_of; app on the as_of day; seats 20 matches the declared '20'.
      c2: { adopted_app: true, adopted_app_at: '2024-03-31T12:00:00.000Z', adopted_autopay: false, adopted_autopay_at: null, adopted_big: true, adopted_big_at: null, adopted_paperless: false, adopted_paperless_at: null, behaviour_count: 2n },
      c3: { adopted_app: false, adopted_app_at: null, adopted_autopay: false, adopted_autopay_at: null, adopted_big: false, adopted_big_at: null, adopted_paperless: false, adopted_paperless_at: null, behaviour_count: 0n },
      c4: { adopted_app: false, adopted_app_at: null, adopted_autopay: false, adopted_autopay_at: null, adopted_big: false, adopted_big_at: null, adopted_paperless: true, adopted_paperless_at: null, behaviour_count: 1n },
      c5: { adopted_app: false, adopted_app_at: null, adopted_autopay: false, adopted_autopay_at: null, adopted_big: false, adopted_big_at: null, adopted_paperless: false, adopted_paperless_at: null, behaviour_count: 0n },
    });
  });

  it('links referrals both ways', () => {
    expect(pick(['referrals_made', 'referred_by', 'is_referred'])).toEqual({
      // c1 referred c2 (twice: counts once) and c3 (undated); c5 only after as_of.
      c1: { referrals_made: 2n, referred_by: null, is_referred: false },
      c2: { referrals_made: 0n, referred_by: 'c1', is_referred: true },
      // Referred by c1 and c4: the smallest id.
      c3: { referrals_made: 0n, referred_by: 'c1', is_referred: true },
      c4: { referrals_made: 1n, referred_by: null, is_referred: false },
      c5: { referrals_made: 0n, referred_by: null, is_referred: false },
    });
  });

  it('reads churn, return and churn again from status changes by as_of', () => {
    expect(pick(['churned', 'churned_at', 'status', 'reactivations'])).toEqual({
      c1: { churned: false, churned_at: null, status: 'active', reactivations: 1n },
      c2: { churned: true, churned_at: '2024-03-15T00:00:00.000Z', status: 'churned', reactivations: 0n },
      // Its churn on 2024-05-01 is after as_of.
      c3: { churned: false, churned_at: null, status: 'active', reactivations: 0n },
      // churned, active again (a return), churned; the return on 04-15 is after as_of.
      c4: { churned: true, churned_at: '2024-03-01T00:00:00.000Z', status: 'churned', reactivations: 1n },
      c5: { churned: false, churned_at: null, status: 'active', reactivations: 0n },
    });
  });

  it('stores exactly the catalogue columns, in order, with their types', async () => {
    const stored = await engine.describe('customer_facts');
    expect(stored.map((c) => c.name)).toEqual(summary.columns.map((c) => c.name));
    expect(stored.map((c) => c.type)).toEqual(summary.columns.map((c) => c.type));
  });

  it('rebuilds in place at another as_of', async () => {
    const again = await buildCustomerFacts(engine, { asOf: '2024-04-01', config });
    expect(again.rows).toBe(5);
    const [c1] = await engine.query(`SELECT revenue, purchase_days, age_days FROM customer_facts WHERE customer_id = 'c1'`);
    // The 999.00 purchase on 2024-04-01 00:00 now counts: a fourth purchase day.
    expect(c1).toEqual({ revenue: '1184.5000', purchase_days: 4n, age_days: 82n });
  });
});
