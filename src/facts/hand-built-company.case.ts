// Test support (not built): a tiny company whose every fact is worked out by hand in the tests.
import { configSchema, type CxrayConfig } from '../config/schema.js';
import type { Engine } from '../engine/types.js';
import { canonicalTable } from './canonical-fixture.case.js';

export const AS_OF = '2024-03-31';

export const config: CxrayConfig = configSchema.parse({
  fiscal_year_start_month: 2,
  currency: 'EUR',
  // Sorted by text: 'Late Fee' < 'Paper bill' < 'late-fee', so 'late-fee' is the one renamed.
  fees: { 'late-fee': { label: 'Late fee (old system)' }, 'Late Fee': {}, 'Paper bill': { label: 'Paper invoice' } },
  behaviours: {
    paperless: { attribute: 'billing', values: ['paperless', 'e-bill'] },
    autopay: { event: 'autopay_on' },
    app: { event: 'app_login', label: 'Uses the app' },
    big: { attribute: 'seats', values: [10, '20'] },
  },
  handling_cost_per_minute: { phone: 1.5, default: 0.5 },
  handling_cost: { email: 2, walk_in: 10 },
  sources: {},
});

export const ATTRIBUTES = [
  { name: 'billing', type: 'string' },
  { name: 'region', type: 'string' },
  { name: 'status', type: 'string' },
  { name: 'seats', type: 'int32' },
] as const;

export async function loadCustomers(engine: Engine): Promise<void> {
  await canonicalTable(
    engine,
    'customers',
    [
      { customer_id: 'c1', signup_at: '2023-01-15 10:00:00', billing: 'paperless', region: 'north', status: 'gold', seats: 10 },
      { customer_id: 'c2', signup_at: '2024-03-31 23:00:00', billing: 'paper', region: 'south', status: null, seats: 20 },
      { customer_id: 'c3', signup_at: null, billing: null, region: 'north', status: null, seats: null },
      { customer_id: 'c4', signup_at: '2022-11-30 08:00:00', billing: 'e-bill', region: 'south', status: 'basic', seats: 5 },
      { customer_id: 'c5', signup_at: '2024-01-01 00:00:00', billing: 'paper', region: 'east', status: null, seats: 1 },
    ],
    ATTRIBUTES,
  );
}

const tx = (customer_id: string, at: string, kind: string, amount: string, category: string | null = null, cost: string | null = null) => ({
  customer_id,
  at,
  kind,
  amount,
  category,
  cost,
  currency: 'EUR',
  original_amount: amount,
  original_currency: 'EUR',
});

const ix = (customer_id: string, at: string, channel: string, handling_minutes: number | null, cost: string | null, resolved: boolean | null) => ({
  customer_id,
  at,
  channel,
  handling_minutes,
  cost,
  resolved,
});

const sr = (customer_id: string, at: string, instrument: string, score: number | null, response_id: string | null, comment: string | null = null) => ({
  customer_id,
  at,
  instrument,
  score,
  response_id,
  comment,
});

/** Every canonical table, with rows after as_of that must not count. */
export async function loadCompany(engine: Engine): Promise<void> {
  await loadCustomers(engine);
  await canonicalTable(engine, 'transactions', [
    tx('c1', '2024-01-10 09:00:00', 'purchase', '100.00', 'widgets', '40.00'),
    tx('c1', '2024-01-10 18:00:00', 'purchase', '50.00', 'widgets', '20.00'),
    tx('c1', '2024-02-01 12:00:00', 'purchase', '25.50', null, '10.00'),
    tx('c1', '2024-03-30 23:59:59', 'purchase', '10.00'),
    tx('c1', '2024-04-01 00:00:00', 'purchase', '999.00', null, '1.00'),
    tx('c1', '2024-02-15 10:00:00', 'fee', '5.00', 'Late Fee'),
    tx('c1', '2024-02-16 10:00:00', 'fee', '3.00', 'late-fee'),
    tx('c1', '2024-02-17 10:00:00', 'fee', '1.25', 'Paper bill'),
    tx('c1', '2024-02-18 10:00:00', 'fee', '2.00', 'Other fee'),
    tx('c1', '2024-02-20 10:00:00', 'refund', '25.50'),
    tx('c1', '2024-03-01 10:00:00', 'credit', '4.00'),
    tx('c2', '2024-03-31 23:59:59', 'purchase', '20.00'),
    tx('c2', '2024-04-02 10:00:00', 'purchase', '50.00'),
    tx('c4', '2024-01-05 10:00:00', 'fee', '7.00', 'Late Fee'),
    tx('c4', '2024-01-06 10:00:00', 'refund', '1.00'),
  ]);
  await canonicalTable(engine, 'interactions', [
    ix('c1', '2024-02-01 10:00:00', 'phone', 10, null, false),
    ix('c1', '2024-02-02 10:00:00', 'phone', null, '3.30', true),
    ix('c1', '2024-02-03 10:00:00', 'phone', 4, '2.00', true),
    ix('c1', '2024-02-04 10:00:00', 'chat', 6, null, null),
    ix('c1', '2024-02-05 10:00:00', 'email', null, null, false),
    ix('c1', '2024-02-06 10:00:00', 'walk-in', null, null, true),
    ix('c1', '2024-02-07 10:00:00', 'web', null, null, true),
    ix('c1', '2024-02-08 10:00:00', 'other', 2.5, null, true),
    ix('c1', '2024-04-01 00:00:00', 'phone', 30, '100.00', false),
    ix('c2', '2024-03-05 10:00:00', 'email', 3, null, true),
  ]);
  await canonicalTable(engine, 'survey_responses', [
    sr('c1', '2024-01-01 09:00:00', 'nps', 9, 'r1'),
    sr('c1', '2024-01-01 09:00:00', 'csat', 4, 'r1'),
    sr('c1', '2024-01-01 09:00:00', 'comment', null, 'r1', 'great'),
    sr('c1', '2024-02-01 09:00:00', 'nps', 6, 'r2'),
    sr('c1', '2024-02-01 09:00:00', 'ces', 3, 'r2'),
    sr('c1', '2024-03-01 09:00:00', 'nps', 8, 'r3'),
    sr('c1', '2024-03-01 09:00:00', 'rating', 4, 'r3'),
    sr('c1', '2024-03-02 09:00:00', 'rating', 2, null),
    sr('c1', '2024-03-03 09:00:00', 'comment', null, null, ''),
    sr('c1', '2024-04-05 09:00:00', 'nps', 10, 'r4'),
    sr('c2', '2024-03-10 09:00:00', 'nps', 10, 's1'),
    sr('c2', '2024-03-01 09:00:00', 'csat', 2, 's2'),
    sr('c2', '2024-03-20 09:00:00', 'csat', 5, 's3'),
    sr('c4', '2024-02-01 09:00:00', 'nps', 3, null),
  ]);
  await canonicalTable(engine, 'behaviour_events', [
    { customer_id: 'c1', at: '2024-02-01 00:00:00', behaviour: 'autopay_on' },
    { customer_id: 'c1', at: '2024-01-15 00:00:00', behaviour: 'autopay_on' },
    { customer_id: 'c2', at: '2024-04-02 00:00:00', behaviour: 'autopay_on' },
    { customer_id: 'c2', at: '2024-03-31 12:00:00', behaviour: 'app_login' },
    { customer_id: 'c3', at: '2024-03-01 00:00:00', behaviour: 'other_event' },
  ]);
  await canonicalTable(engine, 'referrals', [
    { referrer_id: 'c1', referred_id: 'c2', at: '2024-02-01 00:00:00' },
    { referrer_id: 'c1', referred_id: 'c3', at: null },
    { referrer_id: 'c4', referred_id: 'c3', at: '2024-01-01 00:00:00' },
    { referrer_id: 'c1', referred_id: 'c5', at: '2024-05-01 00:00:00' },
    { referrer_id: 'c1', referred_id: 'c2', at: '2024-03-01 00:00:00' },
  ]);
  await canonicalTable(engine, 'status_changes', [
    { customer_id: 'c1', at: '2024-01-01 00:00:00', status: 'churned' },
    { customer_id: 'c1', at: '2024-02-01 00:00:00', status: 'reactivated' },
    { customer_id: 'c2', at: '2024-03-01 00:00:00', status: 'active' },
    { customer_id: 'c2', at: '2024-03-15 00:00:00', status: 'churned' },
    { customer_id: 'c4', at: '2024-01-01 00:00:00', status: 'churned' },
    { customer_id: 'c4', at: '2024-02-01 00:00:00', status: 'active' },
    { customer_id: 'c4', at: '2024-03-01 00:00:00', status: 'churned' },
    { customer_id: 'c4', at: '2024-04-15 00:00:00', status: 'active' },
    { customer_id: 'c3', at: '2024-05-01 00:00:00', status: 'churned' },
  ]);
}
