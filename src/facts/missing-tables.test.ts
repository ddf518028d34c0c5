import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configSchema } from '../config/schema.js';
import { DuckDbEngine } from '../engine/duckdb/engine.js';
import { UserError } from '../errors.js';
import { canonicalTable } from './canonical-fixture.case.js';
import { config, loadCustomers } from './hand-built-company.case.js';
import { buildCustomerFacts } from './index.js';

let engine: DuckDbEngine;

beforeEach(async () => {
  engine = await DuckDbEngine.open(':memory:');
});

afterEach(async () => {
  await engine.close();
});

const rejects = async (promise: Promise<unknown>, code: string): Promise<void> => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserError);
  expect((error as UserError).code).toBe(code);
  expect((error as UserError).hint).toBeTruthy();
};

describe('customer_facts with only some tables', () => {
  it('builds from customers alone: zeros where nothing happened, NULL where nothing is known', async () => {
    await loadCustomers(engine);
    const summary = await buildCustomerFacts(engine, { asOf: '2024-03-31', config });
    expect(summary.tablesUsed).toEqual(['customers']);
    expect(summary.tablesMissing).toEqual(['transactions', 'interactions', 'survey_responses', 'behaviour_events', 'referrals', 'status_changes']);
    const [c1] = await engine.query(
      `SELECT revenue, fee_late_fee, purchase_days, frequency, age_days, interactions_walk_in, handling_minutes, cost_to_serve, net_value,
              survey_responses, latest_nps, nps_class, adopted_autopay, adopted_autopay_at, adopted_paperless, behaviour_count,
              referrals_made, referred_by, is_referred, churned, status, reactivations
       FROM customer_facts WHERE customer_id = 'c1'`,
    );
    expect(c1).toEqual({
      revenue: '0.0000',
      fee_late_fee: '0.0000',
      purchase_days: 0n,
      frequency: null,
      age_days: null,
      interactions_walk_in: 0n,
      handling_minutes: 0,
      cost_to_serve: '0.0000',
      net_value: '0.0000',
      survey_responses: 0n,
      latest_nps: null,
      nps_class: null,
      // Event behaviours cannot be seen without events; attribute ones still can (billing = paperless).
      adopted_autopay: false,
      adopted_autopay_at: null,
      adopted_paperless: true,
      behaviour_count: 2n,
      referrals_made: 0n,
      referred_by: null,
      is_referred: false,
      churned: false,
      status: 'active',
      reactivations: 0n,
    });
  });

  it('reads an absent optional column as NULL', async () => {
    await canonicalTable(engine, 'customers', [{ customer_id: 'a' }]);
    // A transactions table without the optional cost and category columns.
    await engine.exec(`CREATE TABLE transactions (customer_id VARCHAR, "at" TIMESTAMP, kind VARCHAR, amount DECIMAL(18,4), currency VARCHAR, original_amount DECIMAL(18,4), original_currency VARCHAR)`);
    await engine.exec(`INSERT INTO transactions VALUES ('a', '2024-01-01', 'purchase', 5, 'USD', 5, 'USD'), ('a', '2024-01-02', 'fee', 1, 'USD', 1, 'USD')`);
    await buildCustomerFacts(engine, { asOf: '2024-01-31', config: configSchema.parse({ fees: { late: {} }, sources: {} }) });
    expect(await engine.query('SELECT revenue, cost_of_goods, fees, fee_late, net_revenue FROM customer_facts')).toEqual([
      { revenue: '5.0000', cost_of_goods: '0.0000', fees: '1.0000', fee_late: '0.0000', net_revenue: '6.0000' },
    ]);
  });

  it('refuses what it cannot describe, with a hint', async () => {
    const plain = configSchema.parse({ sources: {} });
    await rejects(buildCustomerFacts(engine, { asOf: '2024-03-31', config: plain }), 'table_missing');
    await loadCustomers(engine);
    await rejects(buildCustomerFacts(engine, { asOf: '2024-02-30', config: plain }), 'bad_as_of');
    await rejects(buildCustomerFacts(engine, { asOf: '31/03/2024', config: plain }), 'bad_as_of');
    const unknownAttribute = configSchema.parse({ behaviours: { vip: { attribute: 'tier', values: ['gold'] } }, sources: {} });
    await rejects(buildCustomerFacts(engine, { asOf: '2024-03-31', config: unknownAttribute }), 'unknown_attribute');
    const undefinedBehaviour = configSchema.parse({ behaviours: { vip: { label: 'VIP' } }, sources: {} });
    await rejects(buildCustomerFacts(engine, { asOf: '2024-03-31', config: undefinedBehaviour }), 'behaviour_undefined');
    const wrongType = configSchema.parse({ behaviours: { big: { attribute: 'seats', values: ['many'] } }, sources: {} });
    await rejects(buildCustomerFacts(engine, { asOf: '2024-03-31', config: wrongType }), 'behaviour_value_type');
    const typo = configSchema.parse({ handling_cost: { Phone: 2 }, sources: {} });
    await rejects(buildCustomerFacts(engine, { asOf: '2024-03-31', config: typo }), 'unknown_channel');
    expect(await engine.hasTable('customer_facts')).toBe(false);
  });

  it('keeps the previous table when a rebuild fails', async () => {
    await loadCustomers(engine);
    const plain = configSchema.parse({ sources: {} });
    await buildCustomerFacts(engine, { asOf: '2024-03-31', config: plain });
    // customer_id is NOT NULL in customer_facts: a customers row without one fails the insert.
    await engine.exec(`INSERT INTO customers (customer_id, _source, _file) VALUES (NULL, 'x', 'x.csv')`);
    await expect(buildCustomerFacts(engine, { asOf: '2024-04-30', config: plain })).rejects.toThrow();
    const rows = await engine.query('SELECT count(*) AS n, max(tenure_days) AS oldest FROM customer_facts');
    expect(rows).toEqual([{ n: 5n, oldest: 487n }]);
  });
});
