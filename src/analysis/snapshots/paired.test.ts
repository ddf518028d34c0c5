import { describe, expect, it } from 'vitest';
import { normalCritical } from '../../stats/index.js';
import { overlapVariance, pairCovariance, type PairMoments } from './paired.js';

/** mulberry32: a small seeded generator, so the replicates are the same on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('overlapping-samples variance', () => {
  it('is zero for an identical pair and the independent sum with no customer shared', () => {
    // 40 customers, 20 with the level, unchanged: p = 0.5 both times.
    const same: PairMoments = { n: 40, sumBefore: 20, sumAfter: 20, sumProduct: 20 };
    const v = 0.25 / 40;
    expect(pairCovariance(same)).toBeCloseTo(0.25, 15);
    expect(overlapVariance(v, v, 40, 40, same)).toBeCloseTo(0, 15);
    // Half of the level's holders switched: the covariance falls, the variance rises.
    const moved: PairMoments = { n: 40, sumBefore: 20, sumAfter: 20, sumProduct: 10 };
    expect(pairCovariance(moved)).toBeCloseTo(0, 15);
    expect(overlapVariance(v, v, 40, 40, moved)).toBeCloseTo(2 * v, 15);
    expect(overlapVariance(v, v, 40, 40, { n: 0, sumBefore: 0, sumAfter: 0, sumProduct: 0 })).toBe(2 * v);
    expect(overlapVariance(0, 0, 40, 40, same)).toBe(0);
  });

  // Two snapshots of a base that turns over (n1 = n2 = 1,500, 1,200 shared);
  // each customer keeps a level with probability 0.95 (else redraws it),
  // p = 0.3 in both: no true change. Over 400 replicates (seeds 1..400) the
  // paired 95% interval of p2 − p1 must cover 0 at its nominal rate: within
  // [0.92, 0.98] (about 3 binomial standard errors of 0.95 at 400). The
  // independent-samples interval, too wide here, covers nearly always.
  it('gives 95% intervals that cover a true zero change at their nominal rate, where independent ones over-cover', () => {
    const replicates = 400;
    const z = normalCritical(0.95);
    let pairedCover = 0;
    let independentCover = 0;
    let pairedWidth = 0;
    let independentWidth = 0;
    for (let seed = 1; seed <= replicates; seed += 1) {
      const draw = rng(seed);
      const total = 1_800;
      const before: number[] = [];
      const after: number[] = [];
      for (let i = 0; i < total; i += 1) {
        const x = draw() < 0.3 ? 1 : 0;
        before.push(x);
        after.push(draw() < 0.95 ? x : draw() < 0.3 ? 1 : 0);
      }
      // Before: customers 0..1499; after: 300..1799; shared: 300..1499.
      const b = before.slice(0, 1_500);
      const a = after.slice(300);
      const m: PairMoments = { n: 1_200, sumBefore: 0, sumAfter: 0, sumProduct: 0 };
      for (let i = 300; i < 1_500; i += 1) {
        m.sumBefore += before[i] as number;
        m.sumAfter += after[i] as number;
        m.sumProduct += (before[i] as number) * (after[i] as number);
      }
      const p1 = b.reduce((s, x) => s + x, 0) / b.length;
      const p2 = a.reduce((s, x) => s + x, 0) / a.length;
      const v1 = (p1 * (1 - p1)) / b.length;
      const v2 = (p2 * (1 - p2)) / a.length;
      const paired = z * Math.sqrt(overlapVariance(v1, v2, b.length, a.length, m));
      const independent = z * Math.sqrt(v1 + v2);
      if (Math.abs(p2 - p1) <= paired) pairedCover += 1;
      if (Math.abs(p2 - p1) <= independent) independentCover += 1;
      pairedWidth += paired;
      independentWidth += independent;
    }
    expect(pairedCover / replicates).toBeGreaterThanOrEqual(0.92);
    expect(pairedCover / replicates).toBeLessThanOrEqual(0.98);
    expect(independentCover / replicates).toBeGreaterThan(0.99);
    expect(pairedWidth / independentWidth).toBeLessThan(0.7);
  });
});
