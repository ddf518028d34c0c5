import { describe, expect, it } from 'vitest';
import { benjaminiHochberg } from './benjamini-hochberg.js';
import { normalCdf } from './distributions/normal.js';
import { meanInterval } from './mean-interval.js';
import { npsInterval } from './nps.js';
import { SeededRandom, seedList } from './seeded-random.case.js';
import type { Interval } from './types.js';
import { wilsonInterval } from './wilson-interval.js';

/*
 * Coverage by simulation. Each replicate uses its own seed from a fixed list, so
 * the test is deterministic. Acceptance bound: over R = 400 replicates a
 * correct 95% interval's observed coverage has SD √(0.95·0.05/400) = 0.011, so
 * [0.92, 0.98] (±2.75 SD) fails a correct method with probability ≈ 0.6% for a
 * random seed list, while a wrong interval falls outside it: z instead of t at
 * n = 8 has true coverage 0.909, and the t-interval test checks that this
 * negative control is rejected on the same draws.
 */
const REPLICATES = 400;
const ACCEPT: [number, number] = [0.92, 0.98];

function coverage(seeds: number[], draw: (random: SeededRandom) => { interval: Interval; truth: number }): number {
  let covered = 0;
  for (const seed of seeds) {
    const { interval, truth } = draw(new SeededRandom(seed));
    if (interval.lower <= truth && truth <= interval.upper) covered += 1;
  }
  return covered / seeds.length;
}

describe('interval coverage by simulation (400 replicates, 95% intervals, accept [0.92, 0.98])', () => {
  it('Wilson interval, n = 40, p = 0.3', () => {
    const observed = coverage(seedList(REPLICATES, 10_000), (random) => {
      let count = 0;
      for (let i = 0; i < 40; i += 1) count += random.bernoulli(0.3);
      return { interval: wilsonInterval({ count, n: 40 }).interval, truth: 0.3 };
    });
    expect(observed).toBeGreaterThanOrEqual(ACCEPT[0]);
    expect(observed).toBeLessThanOrEqual(ACCEPT[1]);
  });

  it('Wilson interval, exact coverage at n = 40, p = 0.3 (binomial sum, no simulation)', () => {
    let exact = 0;
    let logPmfBase = 0;
    for (let k = 0; k <= 40; k += 1) {
      if (k > 0) logPmfBase += Math.log((40 - k + 1) / k);
      const pmf = Math.exp(logPmfBase + k * Math.log(0.3) + (40 - k) * Math.log(0.7));
      const { lower, upper } = wilsonInterval({ count: k, n: 40 }).interval;
      if (lower <= 0.3 && 0.3 <= upper) exact += pmf;
    }
    expect(exact).toBeGreaterThan(0.93);
    expect(exact).toBeLessThan(0.97);
  });

  it('t interval for a mean, n = 8 normal observations (and the z interval fails on the same draws)', () => {
    const sample = (random: SeededRandom) => {
      const values = Array.from({ length: 8 }, () => 5 + 2 * random.normal());
      const mean = values.reduce((s, v) => s + v, 0) / values.length;
      const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1));
      return { n: values.length, mean, sd };
    };
    const seeds = seedList(REPLICATES, 20_000);
    const observed = coverage(seeds, (random) => ({ interval: meanInterval(sample(random)).interval, truth: 5 }));
    expect(observed).toBeGreaterThanOrEqual(ACCEPT[0]);
    expect(observed).toBeLessThanOrEqual(ACCEPT[1]);
    const zCoverage = coverage(seeds, (random) => {
      const { n, mean, sd } = sample(random);
      const half = (1.959963984540054 * sd) / Math.sqrt(n);
      return { interval: { lower: mean - half, upper: mean + half, level: 0.95 }, truth: 5 };
    });
    expect(zCoverage).toBeLessThan(ACCEPT[0]);
  });

  it('NPS interval, n = 150 answers with true NPS 20', () => {
    const shares = [0.45, 0.3, 0.25]; // promoters, passives, detractors → NPS = 100·(0.45 − 0.25) = 20
    const observed = coverage(seedList(REPLICATES, 30_000), (random) => {
      const counts = { promoters: 0, passives: 0, detractors: 0 };
      for (let i = 0; i < 150; i += 1) {
        const group = random.categorical(shares);
        if (group === 0) counts.promoters += 1;
        else if (group === 1) counts.passives += 1;
        else counts.detractors += 1;
      }
      return { interval: npsInterval(counts).interval, truth: 20 };
    });
    expect(observed).toBeGreaterThanOrEqual(ACCEPT[0]);
    expect(observed).toBeLessThanOrEqual(ACCEPT[1]);
  });
});

describe('Benjamini–Hochberg false discovery rate by simulation', () => {
  /*
   * 300 replicates of m = 20 two-sided z tests: 16 true nulls (p uniform), 4 real effects
   * (z ~ N(3, 1)). BH at α = 0.05 guarantees E[FDP] ≤ α·m₀/m = 0.04. The mean FDP over 300
   * replicates has SD ≈ 0.007 here, so we accept ≤ 0.06; unadjusted testing at 0.05 gives
   * an FDP near 0.18 in the same data, which the bound rejects — the test can fail.
   */
  it('keeps the mean false discovery proportion under α while keeping power', () => {
    let fdpAdjusted = 0;
    let fdpUnadjusted = 0;
    let truePositives = 0;
    const seeds = seedList(300, 40_000);
    for (const seed of seeds) {
      const random = new SeededRandom(seed);
      const isNull = Array.from({ length: 20 }, (_, i) => i < 16);
      const pValues = isNull.map((nullHypothesis) => {
        const z = nullHypothesis ? random.normal() : 3 + random.normal();
        return 2 * normalCdf(-Math.abs(z));
      });
      const q = benjaminiHochberg(pValues);
      const proportion = (rejected: boolean[]): number => {
        const total = rejected.filter(Boolean).length;
        const falseOnes = rejected.filter((r, i) => r && isNull[i]).length;
        return total === 0 ? 0 : falseOnes / total;
      };
      const rejected = q.map((v) => v <= 0.05);
      fdpAdjusted += proportion(rejected);
      fdpUnadjusted += proportion(pValues.map((p) => p <= 0.05));
      truePositives += rejected.filter((r, i) => r && !isNull[i]).length;
    }
    const meanFdp = fdpAdjusted / seeds.length;
    expect(meanFdp).toBeLessThanOrEqual(0.06);
    expect(fdpUnadjusted / seeds.length).toBeGreaterThan(0.1);
    expect(truePositives / (4 * seeds.length)).toBeGreaterThan(0.5);
  });
});
