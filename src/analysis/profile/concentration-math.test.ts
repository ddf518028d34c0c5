import { describe, expect, it } from 'vitest';
import { valueConcentration } from '../../simulate/value-concentration.js';
import { normalCdf, normalQuantile } from '../../stats/index.js';
import { exactGini, topShare, type RankedSums, type TopShareAggregates } from './concentration-math.js';

/** What SQL computes, computed here on an array (the SQL itself is tested in concentration-sql.test.ts). */
function topShareAggregatesOf(xs: readonly number[], fraction: number): TopShareAggregates {
  const sorted = [...xs].sort((a, b) => a - b);
  const n = xs.length;
  const k = Math.min(n - 1, Math.max(1, Math.round(n * fraction)));
  const t = sorted[n - k - 1] ?? 0;
  let belowCount = 0;
  let belowSum = 0;
  let uSum = 0;
  let uSumSquares = 0;
  let uSumX = 0;
  for (const x of xs) {
    if (x < t) {
      belowCount += 1;
      belowSum += x;
    }
    if (x <= t) {
      uSum += x - t;
      uSumSquares += (x - t) ** 2;
      uSumX += (x - t) * x;
    }
  }
  return { n, k, total: xs.reduce((s, x) => s + x, 0), sumSquares: xs.reduce((s, x) => s + x * x, 0), threshold: t, belowCount, belowSum, uSum, uSumSquares, uSumX };
}

function rankedSumsOf(xs: readonly number[]): RankedSums {
  const sorted = [...xs].sort((a, b) => a - b);
  const s: RankedSums = { n: xs.length, total: 0, sumSquares: 0, sumA: 0, sumAA: 0, sumXI: 0, sumXIXI: 0, sumXA: 0, sumXXI: 0, sumAXI: 0 };
  let running = 0;
  sorted.forEach((x, index) => {
    const i = index + 1;
    const a = running;
    running += x;
    s.total += x;
    s.sumSquares += x * x;
    s.sumA += a;
    s.sumAA += a * a;
    s.sumXI += x * i;
    s.sumXIXI += (x * i) ** 2;
    s.sumXA += x * a;
    s.sumXXI += x * x * i;
    s.sumAXI += a * x * i;
  });
  return s;
}

/** mulberry32: a small seeded generator, so the simulation below is the same on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function lognormalSample(n: number, sigma: number, next: () => number): number[] {
  return Array.from({ length: n }, () => Math.exp(sigma * normalQuantile(Math.min(1 - 1e-12, Math.max(1e-12, next())))));
}

describe('value concentration math', () => {
  it('top shares and the Gini equal the simulator reference (exact; ties and zeros included)', () => {
    const next = random(7);
    const samples = [
      lognormalSample(1000, 1.2, next),
      Array.from({ length: 501 }, (_, i) => (i % 7 === 0 ? 0 : [29, 49, 79][i % 3] ?? 0) * (1 + (i % 11))),
      [5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 100],
    ];
    for (const xs of samples) {
      const reference = valueConcentration(Float64Array.from(xs));
      expect(topShare(topShareAggregatesOf(xs, 0.1)).estimate).toBeCloseTo(reference.top10Share, 12);
      expect(topShare(topShareAggregatesOf(xs, 0.2)).estimate).toBeCloseTo(reference.top20Share, 12);
      expect(exactGini(rankedSumsOf(xs)).estimate).toBeCloseTo(reference.gini, 12);
    }
  });

  // Coverage by simulation: 400 samples of 300 lognormal(σ = 1) values, whose
  // population top-10% share is 1 − Φ(z₀.₉ − σ) and Gini 2Φ(σ/√2) − 1. The
  // 95% intervals must cover at least 91.5% of the time: the binomial
  // acceptance bound 0.95 − 3·√(0.95·0.05/400) ≈ 0.917, minus the small-sample
  // bias of the plug-in estimators. Seed 2024 fixed.
  it('influence-function intervals cover the population values about 95% of the time', () => {
    const sigma = 1;
    const top10Truth = 1 - normalCdf(normalQuantile(0.9) - sigma);
    const top20Truth = 1 - normalCdf(normalQuantile(0.8) - sigma);
    const giniTruth = 2 * normalCdf(sigma / Math.SQRT2) - 1;
    const next = random(2024);
    const replicates = 400;
    let top10 = 0;
    let top20 = 0;
    let gini = 0;
    for (let r = 0; r < replicates; r += 1) {
      const xs = lognormalSample(300, sigma, next);
      const a = topShare(topShareAggregatesOf(xs, 0.1)).interval;
      const b = topShare(topShareAggregatesOf(xs, 0.2)).interval;
      const g = exactGini(rankedSumsOf(xs)).interval;
      if (a.lower <= top10Truth && top10Truth <= a.upper) top10 += 1;
      if (b.lower <= top20Truth && top20Truth <= b.upper) top20 += 1;
      if (g.lower <= giniTruth && giniTruth <= g.upper) gini += 1;
    }
    for (const [what, covered] of [['top 10%', top10], ['top 20%', top20], ['Gini', gini]] as const) {
      expect(covered / replicates, what).toBeGreaterThanOrEqual(0.9);
      expect(covered / replicates, what).toBeLessThanOrEqual(0.99);
    }
  });
});
