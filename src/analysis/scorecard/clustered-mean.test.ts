import { describe, expect, it } from 'vitest';
import { meanInterval, tCritical } from '../../stats/index.js';
import { SeededRandom } from '../../stats/seeded-random.case.js';
import type { BlockSums } from '../block-bootstrap.js';
import { clusteredMean, clusteredSlope, combinedMean } from './clustered-mean.js';

const NAMES = { m: 'm', y: 'y', t: 't', tt: 'tt', ty: 'ty' };

/** Block sums of (block, value, day) observations, as the engine's GROUP BY returns them. */
function blocksOf(rows: readonly [block: number, y: number, t: number][]): BlockSums[] {
  const byBlock = new Map<number, Record<string, number>>();
  for (const [block, y, t] of rows) {
    const s = byBlock.get(block) ?? { m: 0, y: 0, t: 0, tt: 0, ty: 0 };
    s['m'] = (s['m'] ?? 0) + 1;
    s['y'] = (s['y'] ?? 0) + y;
    s['t'] = (s['t'] ?? 0) + t;
    s['tt'] = (s['tt'] ?? 0) + t * t;
    s['ty'] = (s['ty'] ?? 0) + t * y;
    byBlock.set(block, s);
  }
  return [...byBlock.entries()].map(([block, sums]) => ({ block, sums }));
}

describe('the clustered mean (a ratio of totals, blocks of customers as units)', () => {
  it('is the ordinary mean with its t interval when every block holds one observation', () => {
    const ys = [3, 5, 4, 4, 2, 5, 1, 3, 4, 5];
    const mean = clusteredMean(blocksOf(ys.map((y, i) => [i, y, 0])), NAMES);
    const n = ys.length;
    const avg = ys.reduce((s, y) => s + y, 0) / n;
    const sd = Math.sqrt(ys.reduce((s, y) => s + (y - avg) ** 2, 0) / (n - 1));
    const plain = meanInterval({ n, mean: avg, sd });
    expect(mean?.estimate).toBeCloseTo(avg, 14);
    expect(mean?.standardError).toBeCloseTo(plain.standardError, 14);
    expect(mean?.interval.lower).toBeCloseTo(plain.interval.lower, 12);
    expect(mean?.interval.upper).toBeCloseTo(plain.interval.upper, 12);
    expect([mean?.n, mean?.clusters]).toEqual([10, 10]);
  });

  it('counts a block of repeated answers as one unit: by hand on three blocks', () => {
    // Block 7: 2, 2, 2; block 8: 4; block 9: 5, 3. R = 18/6 = 3.
    const mean = clusteredMean(blocksOf([[7, 2, 0], [7, 2, 0], [7, 2, 0], [8, 4, 0], [9, 5, 0], [9, 3, 0]]), NAMES);
    // z_b = (y_b − 3·m_b)/6: (6 − 9)/6 = −0.5, (4 − 3)/6 = 1/6, (8 − 6)/6 = 1/3; Var = 3/2·(0.25 + 1/36 + 1/9).
    const variance = 1.5 * (0.25 + 1 / 36 + 1 / 9);
    expect(mean?.estimate).toBe(3);
    expect(mean?.standardError).toBeCloseTo(Math.sqrt(variance), 14);
    expect(mean?.interval.upper).toBeCloseTo(3 + tCritical(0.95, 2) * Math.sqrt(variance), 12);
    expect(mean?.influence.get(7)).toBeCloseTo(-0.5, 14);
  });

  it('widens the interval by about √2 when every customer gives the same answer twice', () => {
    const rng = new SeededRandom(11);
    const answers = Array.from({ length: 400 }, () => 1 + Math.floor(rng.uniform() * 5));
    const once = clusteredMean(blocksOf(answers.map((y, i) => [i, y, 0])), NAMES);
    const twice = clusteredMean(blocksOf(answers.flatMap((y, i): [number, number, number][] => [[i, y, 0], [i, y, 0]])), NAMES);
    expect(twice?.estimate).toBeCloseTo(once?.estimate ?? 0, 14);
    // Same customers, same evidence: the clustered error does not shrink with the copies.
    expect(twice?.standardError).toBeCloseTo(once?.standardError ?? 0, 12);
    // Responses taken as independent would claim √2 less.
    const sd = Math.sqrt(answers.reduce((s, y) => s + 2 * (y - (once?.estimate ?? 0)) ** 2, 0) / (2 * answers.length - 1));
    expect((twice?.standardError ?? 0) / (sd / Math.sqrt(2 * answers.length))).toBeCloseTo(Math.SQRT2, 2);
  });

  it('is null with fewer than two blocks or no observation', () => {
    expect(clusteredMean(blocksOf([[1, 3, 0], [1, 4, 0]]), NAMES)).toBeNull();
    expect(clusteredMean([], NAMES)).toBeNull();
  });

  it('combines means with their covariance: the average of two areas rated by the same customers', () => {
    const blocks: BlockSums[] = [
      { block: 1, sums: { ma: 1, ya: 2, mb: 1, yb: 4 } },
      { block: 2, sums: { ma: 1, ya: 4, mb: 1, yb: 4 } },
      { block: 3, sums: { ma: 1, ya: 3, mb: 1, yb: 1 } },
    ];
    const a = clusteredMean(blocks, { m: 'ma', y: 'ya' });
    const b = clusteredMean(blocks, { m: 'mb', y: 'yb' });
    if (a === null || b === null) throw new Error('no means');
    const both = combinedMean([
      { mean: a, weight: 0.5 },
      { mean: b, weight: 0.5 },
    ]);
    // Per customer the average of its two ratings: 3, 4, 2; mean 3, and its ordinary t interval (one customer per block).
    const plain = meanInterval({ n: 3, mean: 3, sd: 1 });
    expect(both?.estimate).toBe(3);
    expect(both?.standardError).toBeCloseTo(plain.standardError, 14);
    expect(both?.interval.lower).toBeCloseTo(plain.interval.lower, 12);
  });
});

describe('the clustered slope (least squares on the day, sandwich variance over blocks)', () => {
  it('recovers a known slope and matches the sandwich computed row by row', () => {
    const rng = new SeededRandom(5);
    const rows: [number, number, number][] = [];
    for (let c = 0; c < 300; c += 1) {
      const level = rng.normal();
      for (let k = 0; k < 3; k += 1) {
        const t = Math.floor(rng.uniform() * 700);
        rows.push([c % 97, 3 + level + 0.002 * t + 0.5 * rng.normal(), t]);
      }
    }
    const slope = clusteredSlope(blocksOf(rows), NAMES);
    // Row by row: b = Σ(t − t̄)(y − ȳ) / Σ(t − t̄)², u_b = Σ_b (t − t̄)·e / S_tt.
    const n = rows.length;
    const tBar = rows.reduce((s, r) => s + r[2], 0) / n;
    const yBar = rows.reduce((s, r) => s + r[1], 0) / n;
    const stt = rows.reduce((s, r) => s + (r[2] - tBar) ** 2, 0);
    const b = rows.reduce((s, r) => s + (r[2] - tBar) * (r[1] - yBar), 0) / stt;
    const u = new Map<number, number>();
    for (const [block, y, t] of rows) u.set(block, (u.get(block) ?? 0) + ((t - tBar) * (y - yBar - b * (t - tBar))) / stt);
    const g = u.size;
    const se = Math.sqrt((g / (g - 1)) * [...u.values()].reduce((s, x) => s + x * x, 0));
    expect(slope?.perDay).toBeCloseTo(b, 12);
    expect(slope?.standardError).toBeCloseTo(se, 12);
    expect(slope?.interval.lower).toBeLessThan(0.002);
    expect(slope?.interval.upper).toBeGreaterThan(0.002);
    expect(slope?.pValue).toBeLessThan(1e-6);
  });

  it('is null without a spread of days', () => {
    expect(clusteredSlope(blocksOf([[1, 3, 10], [2, 4, 10], [3, 5, 10]]), NAMES)).toBeNull();
  });
});
