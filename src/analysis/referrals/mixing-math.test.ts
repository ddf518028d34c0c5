import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../stats/seeded-random.case.js';
import { clusteredCorrelation } from './clustered-correlation.js';
import { assortativity, type ReferrerLevelSums } from './mixing-math.js';

/** Referrers as (own level, levels of the customers each brought), summed as the GROUP BY query does. */
function sumsOf(referrers: readonly { level: string; brought: readonly string[] }[], levels: readonly string[]): ReferrerLevelSums[] {
  const rows = new Map<string, ReferrerLevelSums & { counts: number[]; moments: number[][] }>();
  for (const r of referrers) {
    const row = rows.get(r.level) ?? { level: r.level, referrers: 0, pairs: 0, counts: levels.map(() => 0), moments: levels.map(() => levels.map(() => 0)) };
    const c = levels.map((v) => r.brought.filter((x) => x === v).length);
    row.referrers += 1;
    row.pairs += r.brought.length;
    c.forEach((x, j) => {
      row.counts[j] = (row.counts[j] ?? 0) + x;
      c.forEach((y, k) => ((row.moments[j] as number[])[k] = (row.moments[j]?.[k] ?? 0) + x * y));
    });
    rows.set(r.level, row);
  }
  return [...rows.values()];
}

/** The same statistics straight from the list of pairs, each referrer's influence summed over its own pairs. */
function bruteForce(referrers: readonly { level: string; brought: readonly string[] }[]) {
  const pairs = referrers.flatMap((r) => r.brought.map((b) => [r.level, b] as const));
  const P = pairs.length;
  const values = [...new Set(pairs.flat())];
  const a = new Map(values.map((v) => [v, pairs.filter(([x]) => x === v).length / P]));
  const b = new Map(values.map((v) => [v, pairs.filter(([, y]) => y === v).length / P]));
  const O = pairs.filter(([x, y]) => x === y).length / P;
  const E = values.reduce((s, v) => s + (a.get(v) ?? 0) * (b.get(v) ?? 0), 0);
  const r = (O - E) / (1 - E);
  const influence = (x: string, y: string): number =>
    ((x === y ? 1 : 0) - O) / (1 - E) - (((b.get(x) ?? 0) + (a.get(y) ?? 0) - 2 * E) * (1 - O)) / (1 - E) ** 2;
  const u = referrers.map((ref) => ref.brought.reduce((s, y) => s + influence(ref.level, y), 0) / P);
  const G = referrers.length;
  return { O, E, r, se: Math.sqrt((G / (G - 1)) * u.reduce((s, x) => s + x * x, 0)) };
}

describe('attribute assortativity between referrers and the customers they bring', () => {
  it("gives Newman's r for his mixing matrix of partnerships by race (Table I: r = 0.621)", () => {
    const levels = ['black', 'hispanic', 'white', 'other'];
    const e = [
      [258, 16, 35, 13],
      [12, 157, 58, 19],
      [13, 23, 306, 35],
      [5, 7, 24, 16],
    ];
    // One pair per "referrer": the clustered variance is then the plain one.
    const referrers = levels.flatMap((level, i) => levels.flatMap((other, j) => Array.from({ length: e[i]?.[j] ?? 0 }, () => ({ level, brought: [other] }))));
    const result = assortativity(levels, sumsOf(referrers, levels));
    // The published shares are rounded to 3 digits (they sum to 0.997); renormalised they give 0.623.
    expect(result?.coefficient.estimate).toBeCloseTo(0.621, 2);
    expect(result?.pairs).toBe(997);
    const direct = bruteForce(referrers);
    expect(result?.coefficient.standardError).toBeCloseTo(direct.se, 12);
    expect(result?.sameShare.estimate).toBeCloseTo((258 + 157 + 306 + 16) / 997, 12);
  });

  it('matches the statistics computed pair by pair, clustered by referrer, for referrers who bring several customers', () => {
    const rng = new SeededRandom(17);
    const levels = ['a', 'b', 'c'];
    const referrers = Array.from({ length: 300 }, () => {
      const level = levels[Math.floor(rng.uniform() * 3)] as string;
      const k = 1 + Math.floor(rng.uniform() * 4);
      return { level, brought: Array.from({ length: k }, () => (rng.uniform() < 0.5 ? level : (levels[Math.floor(rng.uniform() * 3)] as string))) };
    });
    const result = assortativity(levels, sumsOf(referrers, levels));
    const direct = bruteForce(referrers);
    expect(result?.sameShare.estimate).toBeCloseTo(direct.O, 12);
    expect(result?.chanceShare).toBeCloseTo(direct.E, 12);
    expect(result?.coefficient.estimate).toBeCloseTo(direct.r, 12);
    expect(result?.coefficient.standardError).toBeCloseTo(direct.se, 12);
    expect(result?.difference.pValue).toBeLessThan(1e-6);
    expect(result?.referrers).toBe(300);
  });

  it('counts a referred level the referrers never have, and refuses a single value', () => {
    const sums = sumsOf(
      [
        { level: 'x', brought: ['x', 'y'] },
        { level: 'x', brought: ['y'] },
        { level: 'z', brought: ['z', 'x'] },
      ],
      ['x', 'y', 'z'],
    );
    const result = assortativity(['x', 'y', 'z'], sums);
    // a: x 3/5, z 2/5; b: x 2/5, y 2/5, z 1/5; E = 6/25 + 2/25; O = 2/5.
    expect(result?.chanceShare).toBeCloseTo(8 / 25, 12);
    expect(result?.sameShare.estimate).toBeCloseTo(2 / 5, 12);
    expect(result?.coefficient.estimate).toBeCloseTo((2 / 5 - 8 / 25) / (1 - 8 / 25), 12);
    expect(assortativity(['x'], sumsOf([{ level: 'x', brought: ['x'] }, { level: 'x', brought: ['x'] }], ['x']))).toBeNull();
  });

  it('covers the true coefficient 0 about 95% of the time when referrer and referred are drawn independently', () => {
    const rng = new SeededRandom(5);
    const levels = ['a', 'b', 'c', 'd'];
    const draw = (): string => {
      const u = rng.uniform();
      return u < 0.4 ? 'a' : u < 0.7 ? 'b' : u < 0.9 ? 'c' : 'd';
    };
    let covered = 0;
    let rejected = 0;
    const runs = 1000;
    for (let k = 0; k < runs; k += 1) {
      const referrers = Array.from({ length: 150 }, () => ({ level: draw(), brought: Array.from({ length: 1 + Math.floor(rng.uniform() * 3) }, draw) }));
      const result = assortativity(levels, sumsOf(referrers, levels));
      if (result !== null && result.coefficient.interval.lower <= 0 && result.coefficient.interval.upper >= 0) covered += 1;
      if (result !== null && result.difference.pValue < 0.05) rejected += 1;
    }
    // 95% nominal; 1,000 runs: ±1.4 points is one binomial SE twice over.
    expect(covered / runs).toBeGreaterThan(0.93);
    expect(covered / runs).toBeLessThan(0.97);
    expect(rejected / runs).toBeGreaterThan(0.03);
    expect(rejected / runs).toBeLessThan(0.07);
  });

  it('tests perfect sorting with the variance under independence, which does not vanish', () => {
    // 20 referrers, each bringing two customers of its own value: every pair alike, the observed variance 0.
    const referrers = Array.from({ length: 20 }, (_, i) => ({ level: i % 2 === 0 ? 'north' : 'south', brought: [i % 2 === 0 ? 'north' : 'south', i % 2 === 0 ? 'north' : 'south'] }));
    const result = assortativity(['north', 'south'], sumsOf(referrers, ['north', 'south']));
    expect(result?.coefficient.estimate).toBe(1);
    expect(result?.coefficient.standardError).toBe(0);
    // Under independence each referrer's two pairs add 2·(1 − ½ − ½ + ½) = 1: SE0 = √(20/19 · 20) / 40.
    expect(result?.difference.statistic).toBeCloseTo(0.5 / (Math.sqrt((20 / 19) * 20) / 40), 10);
    expect(result?.difference.pValue).toBeLessThan(1e-4);
  });
});

describe('a correlation over pairs clustered by referrer', () => {
  it('is Pearson’s r of the pairs, with a wider interval when a referrer’s customers are alike', () => {
    const rng = new SeededRandom(3);
    const clusters = Array.from({ length: 400 }, () => {
      const x = rng.normal();
      const shared = 0.5 * x + rng.normal();
      return { x, ys: Array.from({ length: 3 }, () => shared + 0.3 * rng.normal()) };
    });
    const result = clusteredCorrelation(clusters);
    const xs = clusters.flatMap((c) => c.ys.map(() => c.x));
    const ys = clusters.flatMap((c) => [...c.ys]);
    const mean = (v: number[]): number => v.reduce((s, x) => s + x, 0) / v.length;
    const mx = mean(xs);
    const my = mean(ys);
    const r = xs.reduce((s, x, i) => s + (x - mx) * ((ys[i] ?? 0) - my), 0) / Math.sqrt(xs.reduce((s, x) => s + (x - mx) ** 2, 0) * ys.reduce((s, y) => s + (y - my) ** 2, 0));
    expect(result?.estimate).toBeCloseTo(r, 12);
    expect([result?.pairs, result?.clusters]).toEqual([1200, 400]);
    // Independent pairs would give SE ≈ (1 − r²)/√1200; three nearly equal customers per referrer carry about 400 pairs' worth.
    expect(result?.standardError as number).toBeGreaterThan((1.4 * (1 - r * r)) / Math.sqrt(1200));
    expect(result?.interval.lower as number).toBeLessThan(r);
    expect(result?.interval.upper as number).toBeGreaterThan(r);
    const rho = clusteredCorrelation(clusters, { ranks: true });
    expect(rho?.estimate as number).toBeGreaterThan(0.3);
  });

  it('covers 0 about 95% of the time when the values are independent, clusters and all', () => {
    const rng = new SeededRandom(11);
    let covered = 0;
    const runs = 1000;
    for (let k = 0; k < runs; k += 1) {
      const clusters = Array.from({ length: 60 }, () => {
        const shared = rng.normal();
        return { x: Math.exp(rng.normal()), ys: Array.from({ length: 1 + Math.floor(rng.uniform() * 3) }, () => shared + rng.normal()) };
      });
      const result = clusteredCorrelation(clusters, { ranks: true });
      if (result !== null && result.interval.lower <= 0 && result.interval.upper >= 0) covered += 1;
    }
    expect(covered / runs).toBeGreaterThan(0.93);
  });
});
