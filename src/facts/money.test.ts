import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../config/schema.js';
import { DuckDbEngine } from '../engine/duckdb/engine.js';
import { canonicalTable } from './canonical-fixture.case.js';
import { buildCustomerFacts } from './index.js';

let engine: DuckDbEngine;

beforeAll(async () => {
  engine = await DuckDbEngine.open(':memory:');
});

afterAll(async () => {
  await engine.close();
});

const purchase = (customer_id: string, day: number, amount: string, cost: string | null = null) => ({
  customer_id,
  at: `2024-01-${String(day).padStart(2, '0')} 12:00:00`,
  kind: 'purchase',
  amount,
  cost,
  currency: 'USD',
  original_amount: amount,
  original_currency: 'USD',
});

describe('money in customer_facts', () => {
  it('stays exact decimal arithmetic end to end', async () => {
    await canonicalTable(engine, 'customers', [{ customer_id: 'a' }, { customer_id: 'b' }]);
    await canonicalTable(engine, 'transactions', [
      // In binary floating point ten 0.1s sum to 0.9999999999999999.
      ...Array.from({ length: 10 }, (_, i) => purchase('a', i + 1, '0.10', '0.07')),
      // 0.1 + 0.2 - 0.3 is 5.55e-17 in doubles.
      purchase('b', 1, '0.10'),
      purchase('b', 2, '0.20', '0.30'),
    ]);
    await canonicalTable(engine, 'interactions', [{ customer_id: 'b', at: '2024-01-03 00:00:00', channel: 'phone', handling_minutes: 3 }]);
    const config = configSchema.parse({ handling_cost_per_minute: { phone: 0.1 }, sources: {} });
    await buildCustomerFacts(engine, { asOf: '2024-01-31', config });
    const rows = await engine.query('SELECT customer_id, revenue, cost_of_goods, net_revenue, cost_to_serve, net_value FROM customer_facts ORDER BY customer_id');
    expect(rows).toEqual([
      { customer_id: 'a', revenue: '1.0000', cost_of_goods: '0.7000', net_revenue: '0.3000', cost_to_serve: '0.0000', net_value: '0.3000' },
      // 3 minutes x 0.1 is 0.30000000000000004 in doubles.
      { customer_id: 'b', revenue: '0.3000', cost_of_goods: '0.3000', net_revenue: '0.0000', cost_to_serve: '0.3000', net_value: '-0.3000' },
    ]);
    const types = await engine.describe('customer_facts');
    expect(types.find((c) => c.name === 'net_value')?.engineType).toBe('DECIMAL(18,4)');
  });
});
