import type { Engine } from '../../engine/types.js';

/**
 * A hand-made customer_facts of 600 customers for value concentration:
 * plan prices times months (many ties), some zeros, a few refunds larger
 * than revenue; and a few transactions around February 2025 for periods.
 * Returns each customer's revenue after refunds, in customer order (c0, c1, ...).
 */
export async function createConcentrationFixture(engine: Engine): Promise<number[]> {
  const d = engine.dialect;
  const revenue: number[] = [];
  await engine.exec(
    d.createTable('customer_facts', [
      { name: 'customer_id', type: 'string', nullable: false },
      { name: 'segment', type: 'string' },
      { name: 'revenue', type: 'money' },
      { name: 'fees', type: 'money' },
      { name: 'refunds', type: 'money' },
    ]),
  );
  const rows = Array.from({ length: 600 }, (_, i) => {
    const price = [29, 49, 79][i % 3] ?? 0;
    const months = i % 13 === 0 ? 0 : 1 + ((i * 7) % 24);
    const fees = i % 5 === 0 ? 7.5 : 0;
    const refunds = i % 97 === 0 ? 300 : i % 10 === 0 ? 29 : 0;
    revenue.push(price * months + fees - refunds);
    return [`c${i}`, i % 2 === 0 ? 'retail' : 'smb', (price * months).toFixed(4), fees.toFixed(4), refunds.toFixed(4)];
  });
  await engine.insertRows('customer_facts', ['customer_id', 'segment', 'revenue', 'fees', 'refunds'], rows);
  await engine.exec(
    d.createTable('transactions', [
      { name: 'customer_id', type: 'string', nullable: false },
      { name: 'at', type: 'timestamp' },
      { name: 'kind', type: 'string' },
      { name: 'amount', type: 'money' },
    ]),
  );
  await engine.insertRows(
    'transactions',
    ['customer_id', 'at', 'kind', 'amount'],
    [
      ['c1', '2025-01-31T23:59:59.000Z', 'purchase', '10.0000'],
      ['c1', '2025-02-01T00:00:00.000Z', 'purchase', '20.0000'],
      ['c1', '2025-02-10T00:00:00.000Z', 'refund', '5.0000'],
      ['c1', '2025-02-11T00:00:00.000Z', 'credit', '100.0000'],
      ['c2', '2025-02-28T23:00:00.000Z', 'fee', '7.0000'],
      ['c2', '2025-03-01T00:00:00.000Z', 'purchase', '1000.0000'],
      ['c3', '2026-02-15T00:00:00.000Z', 'purchase', '50.0000'],
    ],
  );
  return revenue;
}
