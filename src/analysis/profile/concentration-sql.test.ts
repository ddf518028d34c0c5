import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../../engine/duckdb/engine.js';
import { valueConcentration } from '../../simulate/value-concentration.js';
import { parsePeriod } from '../period.js';
import { testContext } from '../scope.case.js';
import { exactGini, groupedGini, topShare } from './concentration-math.js';
import { rankedSums, revenueSource, topShareAggregates, valueGroups, valueTotals } from './concentration-sql.js';

let engine: DuckDbEngine;
const revenue: number[] = [];

beforeAll(async () => {
  engine = await DuckDbEngine.open(':memory:', { memoryLimit: '256MB' });
  await engine.exec(
    engine.dialect.createTable('customer_facts', [
      { name: 'customer_id', type: 'string' },
      { name: 'segment', type: 'string' },
      { name: 'revenue', type: 'money' },
      { name: 'fees', type: 'money' },
      { name: 'refunds', type: 'money' },
    ]),
  );
  // 600 customers: plan prices times months (many ties), some zeros, a few refunds larger than revenue.
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
    engine.dialect.createTable('transactions', [
      { name: 'customer_id', type: 'string' },
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
});

afterAll(async () => {
  await engine.close();
});

describe('value concentration in SQL', () => {
  it('exact top shares and Gini (window functions) equal the reference on tied, zero and negative values', async () => {
    const ctx = testContext(engine, { customers: 600 });
    const source = revenueSource(ctx);
    const totals = await valueTotals(ctx, source);
    expect(totals.n).toBe(600);
    expect(totals.total).toBeCloseTo(revenue.reduce((s, x) => s + x, 0), 6);
    expect(totals.negatives).toBe(revenue.filter((x) => x < 0).length);
    const reference = valueConcentration(Float64Array.from(revenue));
    const [top10, top20] = (await topShareAggregates(ctx, source, totals, [0.1, 0.2])).map((a) => topShare(a));
    expect(top10?.estimate).toBeCloseTo(reference.top10Share, 10);
    expect(top20?.estimate).toBeCloseTo(reference.top20Share, 10);
    const ranked = await rankedSums(ctx, source, [300]);
    expect(exactGini(ranked.sums).estimate).toBeCloseTo(reference.gini, 10);
    const sorted = [...revenue].sort((a, b) => a - b);
    expect(ranked.bottomSums[0]).toBeCloseTo(sorted.slice(0, 300).reduce((s, x) => s + x, 0), 6);
  });

  it('percentile groups (engines without window functions) give the Gini within the stated bound', async () => {
    const ctx = testContext(engine, { customers: 600 });
    const source = revenueSource(ctx);
    const totals = await valueTotals(ctx, source);
    const groups = await valueGroups(ctx, source, totals);
    expect(groups.reduce((s, g) => s + g.n, 0)).toBe(600);
    const grouped = groupedGini(groups);
    const exact = valueConcentration(Float64Array.from(revenue)).gini;
    expect(grouped.estimate).toBeLessThanOrEqual(exact + 1e-9);
    expect(exact - grouped.estimate).toBeLessThanOrEqual(grouped.bound + 1e-9);
  });

  it('the scope restricts the customers counted', async () => {
    const ctx = testContext(engine, { where: `"segment" = $s_0`, params: { s_0: 'retail' }, customers: 300 });
    const totals = await valueTotals(ctx, revenueSource(ctx));
    expect(totals.n).toBe(300);
    expect(totals.total).toBeCloseTo(revenue.filter((_, i) => i % 2 === 0).reduce((s, x) => s + x, 0), 6);
  });

  it('a period counts purchases and fees less refunds dated inside it (whole days, never past as_of)', async () => {
    const ctx = testContext(engine, { customers: 600, overrides: { period: parsePeriod('2025-02-01', '2025-02-28') } });
    const source = revenueSource(ctx);
    const rows = await engine.query<{ cid: string; x: number }>(`SELECT cid, x FROM ${source.from} WHERE cid IN ('c1', 'c2', 'c3', 'c4') ORDER BY cid`, source.values.params);
    expect(rows).toEqual([
      { cid: 'c1', x: 15 },
      { cid: 'c2', x: 7 },
      { cid: 'c3', x: 0 },
      { cid: 'c4', x: 0 },
    ]);
    const open = testContext(engine, { customers: 600, overrides: { period: parsePeriod('2025-03-01', undefined) } });
    const later = revenueSource(open);
    const c3 = await engine.query<{ x: number }>(`SELECT x FROM ${later.from} WHERE cid = 'c3'`, later.values.params);
    expect(c3).toEqual([{ x: 0 }]);
  });
});
