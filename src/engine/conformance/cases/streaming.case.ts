import { describe, expect, it } from 'vitest';
import type { Engine } from '../../types.js';
import type { ConformanceContext } from '../harness.js';

const BIG_ROWS = 3_000_000;
const BIG_BATCH = 10_000;
/**
 * Growth allowed while streaming 3M rows. Materialising them as row objects
 * (an int64, a double and a string each) takes several hundred MB, so a
 * stream that secretly buffered would cross this line.
 */
const MAX_RSS_GROWTH_MB = 200;

function series(engine: Engine, count: number, extra = ''): string {
  const d = engine.dialect;
  const i = d.quoteIdent('i');
  return `SELECT s.${i} AS i${extra} FROM ${d.integerSeries(count, 'i')} AS s`;
}

export function describeStreamingCases(ctx: ConformanceContext): void {
  describe('streaming', () => {
    it(`streams ${BIG_ROWS.toLocaleString('en')} rows in batches of ${BIG_BATCH}, counting every row exactly, with RSS growth under ${MAX_RSS_GROWTH_MB} MB`, async () => {
      const { engine } = ctx;
      const d = engine.dialect;
      const sql = series(engine, BIG_ROWS, `, ${d.toDouble('s.' + d.quoteIdent('i'))} AS x, ${d.toString('s.' + d.quoteIdent('i'))} AS label`);
      // Warm up code paths and caches so the baseline is not the first-use cost.
      for await (const batch of engine.stream(series(engine, 50_000), undefined, { batchSize: BIG_BATCH })) void batch;
      const baseline = process.memoryUsage.rss();
      let peak = baseline;
      let rows = 0;
      let total = 0n;
      let batches = 0;
      let oversized = 0;
      let lastLabelOk = true;
      for await (const batch of engine.stream<{ i: bigint; x: number; label: string }>(sql, undefined, { batchSize: BIG_BATCH })) {
        batches += 1;
        if (batch.length > BIG_BATCH) oversized += 1;
        for (const row of batch) {
          rows += 1;
          total += row.i;
        }
        const last = batch[batch.length - 1];
        if (last !== undefined && (last.label !== String(last.i) || last.x !== Number(last.i))) lastLabelOk = false;
        if (batches % 20 === 0) peak = Math.max(peak, process.memoryUsage.rss());
      }
      peak = Math.max(peak, process.memoryUsage.rss());
      const growthMb = (peak - baseline) / 2 ** 20;
      expect(rows).toBe(BIG_ROWS);
      expect(total).toBe((BigInt(BIG_ROWS) * BigInt(BIG_ROWS - 1)) / 2n);
      expect(oversized).toBe(0);
      expect(batches).toBe(BIG_ROWS / BIG_BATCH);
      expect(lastLabelOk).toBe(true);
      expect(growthMb, `RSS grew ${growthMb.toFixed(1)} MB while streaming`).toBeLessThan(MAX_RSS_GROWTH_MB);
    }, 120_000);

    it('keeps ORDER BY order and cuts full batches of batchSize with the remainder last; an empty result yields no batch', async () => {
      const { engine } = ctx;
      const sizes: number[] = [];
      const values: bigint[] = [];
      const i = engine.dialect.quoteIdent('i');
      for await (const batch of engine.stream<{ i: bigint }>(`${series(engine, 10_001)} ORDER BY ${i} DESC`, undefined, { batchSize: 1000 })) {
        sizes.push(batch.length);
        for (const row of batch) values.push(row.i);
      }
      expect(sizes).toEqual([...Array.from({ length: 10 }, () => 1000), 1]);
      expect(values).toEqual(Array.from({ length: 10_001 }, (_, k) => BigInt(10_000 - k)));
      const empty: unknown[] = [];
      for await (const batch of engine.stream(`${series(engine, 10)} WHERE 1 = 0`)) empty.push(batch);
      expect(empty).toEqual([]);
      await expect(
        (async () => {
          for await (const batch of engine.stream('SELEC broken', undefined, { batchSize: 10 })) void batch;
        })(),
      ).rejects.toMatchObject({ code: 'query_failed' });
    });

    it('binds parameters in a stream, and other queries run while a stream is open do not cut it short', async () => {
      const { engine } = ctx;
      const d = engine.dialect;
      const sql = `${series(engine, 100_000)} WHERE s.${d.quoteIdent('i')} >= $from`;
      let rows = 0;
      let batches = 0;
      for await (const batch of engine.stream(sql, { from: 50_000n, unused: 'x' }, { batchSize: 2048 })) {
        rows += batch.length;
        batches += 1;
        if (batches % 5 === 1) expect(await engine.query('SELECT $v AS v', { v: batches })).toEqual([{ v: batches }]);
      }
      expect(rows).toBe(50_000);
    });

    it('leaving a stream early releases it: many abandoned streams in a row, then the engine still answers', async () => {
      const { engine } = ctx;
      for (let k = 0; k < 25; k += 1) {
        for await (const batch of engine.stream(series(engine, 1_000_000), undefined, { batchSize: 100 })) {
          expect(batch.length).toBe(100);
          break;
        }
      }
      expect(await engine.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    });
  });
}
