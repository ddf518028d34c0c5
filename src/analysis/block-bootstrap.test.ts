import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../engine/duckdb/engine.js';
import { md5Hash64, splitmix64 } from '../engine/portable-hash.js';
import { poissonWeightFromHash } from '../stats/index.js';
import { BOOTSTRAP_BLOCKS, blockKeySql, blockSums, blockWeights, replicateKey, replicateTotals } from './block-bootstrap.js';
import type { AnalysisContext } from './types.js';

// The bootstrap by hash blocks (block-bootstrap.ts): its replicates are the
// customer-weighted sums they claim to be, and at 100,000 customers (25 per
// block) the spread of a mean over the replicates is the mean's standard
// error, as the customer-level bootstrap's would be.

let engine: DuckDbEngine;
let ctx: Pick<AnalysisContext, 'engine' | 'scope' | 'signal'>;
const SEED = 20261123;

beforeAll(async () => {
  engine = await DuckDbEngine.open(':memory:', { memoryLimit: '1GB' });
  // Skewed values (exponential, mean 50, sd 50) from a hash of the id: a money-like column.
  await engine.exec(
    `CREATE TABLE facts AS SELECT CAST(i AS VARCHAR) AS customer_id, -50 * ln((hash(i, 'v') % 1000000 + 0.5) / 1000000) AS v FROM range(100000) AS t(i)`,
  );
  ctx = { engine, scope: { table: 'facts', where: '1 = 1', params: {}, customers: 100_000, allCustomers: 100_000, segment: null }, signal: undefined };
});

afterAll(async () => {
  await engine.close();
});

const rowsSql = (): string => `SELECT ${blockKeySql(engine.dialect, 'customer_id')} AS _u, customer_id, v FROM facts`;

describe('the bootstrap by hash blocks', () => {
  it('draws Poisson(1) weights: mean and variance 1 over 4,096 blocks x 200 replicates, the same on every call', () => {
    const w = blockWeights(200, SEED);
    const mean = w.reduce((s, x) => s + x, 0) / w.length;
    const variance = w.reduce((s, x) => s + (x - mean) ** 2, 0) / (w.length - 1);
    expect(w).toHaveLength(200 * BOOTSTRAP_BLOCKS);
    expect(mean).toBeGreaterThan(0.99);
    expect(mean).toBeLessThan(1.01);
    expect(variance).toBeGreaterThan(0.98);
    expect(variance).toBeLessThan(1.02);
    expect(blockWeights(200, SEED)).toBe(w);
    expect(blockWeights(200, SEED + 1)[0]).not.toBeUndefined();
    expect(() => blockWeights(0, SEED)).toThrow(RangeError);
  });

  it("makes each replicate's sums the customers' sums weighted by their block's draw", async () => {
    const items = ['count(*) AS _n', 'sum(v) AS _s'];
    const blocks = await blockSums(ctx, `SELECT * FROM (${rowsSql()}) AS x WHERE v > 100`, items, null);
    const replicates = replicateTotals(blocks, 3, SEED);
    const rows = await engine.query<{ customer_id: string; v: number }>('SELECT customer_id, v FROM facts WHERE v > 100');
    expect(rows.length).toBeGreaterThan(10_000);
    for (let r = 0; r < 3; r += 1) {
      let [n, s] = [0, 0];
      for (const row of rows) {
        const w = poissonWeightFromHash(splitmix64(replicateKey(md5Hash64(row.customer_id) % BigInt(BOOTSTRAP_BLOCKS), r, SEED)));
        n += w;
        s += w * row.v;
      }
      expect(replicates[r]?.['_n']).toBe(n);
      expect(replicates[r]?.['_s']).toBeCloseTo(s, 6);
    }
  });

  it('gives a mean of 100,000 skewed values the spread of its standard error (400 replicates, within 12%)', async () => {
    const [row] = await engine.query<{ n: number; m: number; sd: number }>('SELECT count(*) AS n, avg(v) AS m, stddev_samp(v) AS sd FROM facts');
    const standardError = Number(row?.sd) / Math.sqrt(Number(row?.n));
    const blocks = await blockSums(ctx, rowsSql(), ['count(*) AS _n', 'sum(v) AS _s'], null);
    expect(blocks.length).toBe(BOOTSTRAP_BLOCKS);
    const means = replicateTotals(blocks, 400, SEED).map((t) => (t['_s'] ?? 0) / (t['_n'] ?? 1));
    const centre = means.reduce((s, x) => s + x, 0) / means.length;
    const spread = Math.sqrt(means.reduce((s, x) => s + (x - centre) ** 2, 0) / (means.length - 1));
    // The spread of 400 replicates is itself within about 3.5% (1/√800) of the truth.
    expect(spread / standardError).toBeGreaterThan(0.88);
    expect(spread / standardError).toBeLessThan(1.12);
    expect(Math.abs(centre - Number(row?.m))).toBeLessThan(standardError / 4);
  });
});
