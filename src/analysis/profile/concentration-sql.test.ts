import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../../engine/duckdb/engine.js';
import { valueConcentration } from '../../simulate/value-concentration.js';
import { parsePeriod } from '../period.js';
import { testContext } from '../scope.case.js';
import { scopeSelect } from '../scope-query.js';
import { createConcentrationFixture } from './concentration.case.js';
import { exactGini, topShare } from './concentration-math.js';
import { rankedSums, revenueSource, topShareAggregates, valueTotals, type ValueSource } from './concentration-sql.js';

let engine: DuckDbEngine;
let revenue: number[];

beforeAll(async () => {
  engine = await DuckDbEngine.open(':memory:', { memoryLimit: '256MB' });
  revenue = await createConcentrationFixture(engine);
});

afterAll(async () => {
  await engine.close();
});

/** Each listed customer's value from a source, as SQL computes it. */
function valuesOf(ctx: ReturnType<typeof testContext>, source: ValueSource, ids: string[]) {
  const d = engine.dialect;
  const items = [`${d.quoteIdent('customer_id')} AS _cid`, `${source.x} AS _x`, `${source.money} AS _money`];
  const sql = scopeSelect(ctx, { items, ...(source.join === undefined ? {} : { join: source.join }), where: [`${d.quoteIdent('customer_id')} IN (${ids.map((id) => d.literal(id)).join(', ')})`] });
  return engine.query(`${sql} ORDER BY _cid`, source.values.params);
}

describe('value concentration in SQL', () => {
  it('exact top shares and Gini (running totals) equal the reference on tied, zero and negative values', async () => {
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

  it('the scope restricts the customers counted', async () => {
    const ctx = testContext(engine, { where: `"segment" = $s_0`, params: { s_0: 'retail' }, customers: 300 });
    const totals = await valueTotals(ctx, revenueSource(ctx));
    expect(totals.n).toBe(300);
    expect(totals.total).toBeCloseTo(revenue.filter((_, i) => i % 2 === 0).reduce((s, x) => s + x, 0), 6);
  });

  it('a period counts purchases and fees less refunds dated inside it (whole days, never past as_of)', async () => {
    const ctx = testContext(engine, { customers: 600, overrides: { period: parsePeriod('2025-02-01', '2025-02-28') } });
    const source = revenueSource(ctx);
    expect(await valuesOf(ctx, source, ['c1', 'c2', 'c3', 'c4'])).toEqual([
      { _cid: 'c1', _x: 15, _money: '15.0000' },
      { _cid: 'c2', _x: 7, _money: '7.0000' },
      { _cid: 'c3', _x: 0, _money: '0.0000' },
      { _cid: 'c4', _x: 0, _money: '0.0000' },
    ]);
    const open = testContext(engine, { customers: 600, overrides: { period: parsePeriod('2025-03-01', undefined) } });
    expect(await valuesOf(open, revenueSource(open), ['c3'])).toEqual([{ _cid: 'c3', _x: 0, _money: '0.0000' }]);
  });
});
