import { describe, expect, it } from 'vitest';
import { Rng } from './random.js';

const draw = (rng: Rng, n: number): number[] => Array.from({ length: n }, () => rng.float());

describe('Rng', () => {
  it('is a pure function of the seed, with independent forks', () => {
    expect(draw(Rng.fromSeed(7), 5)).toEqual(draw(Rng.fromSeed(7), 5));
    expect(draw(Rng.fromSeed(7), 5)).not.toEqual(draw(Rng.fromSeed(8), 5));
    expect(draw(Rng.fromSeed(2 ** 40 + 7), 5)).not.toEqual(draw(Rng.fromSeed(7), 5));
    const root = Rng.fromSeed(7);
    const a = root.fork();
    const b = root.fork();
    expect(draw(a, 5)).not.toEqual(draw(b, 5));
  });

  it('draws from the intended distributions', () => {
    const rng = Rng.fromSeed(1);
    const n = 200_000;
    let sum = 0;
    let squares = 0;
    let poisson = 0;
    let min = 1;
    let max = 0;
    for (let i = 0; i < n; i += 1) {
      const u = rng.float();
      min = Math.min(min, u);
      max = Math.max(max, u);
      const z = rng.normal();
      sum += z;
      squares += z * z;
      poisson += rng.poisson(0.7);
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(Math.abs(sum / n)).toBeLessThan(0.01);
    expect(Math.abs(squares / n - 1)).toBeLessThan(0.02);
    expect(Math.abs(poisson / n - 0.7)).toBeLessThan(0.01);
    const counts = [0, 0, 0];
    for (let i = 0; i < 30_000; i += 1) {
      const k = rng.weighted([1, 2, 7]);
      counts[k] = (counts[k] ?? 0) + 1;
    }
    expect(Math.abs((counts[2] ?? 0) / 30_000 - 0.7)).toBeLessThan(0.015);
    const mean = Array.from({ length: 50_000 }, () => rng.logNormal(14, 0.5)).reduce((a, b) => a + b, 0) / 50_000;
    expect(Math.abs(mean - 14)).toBeLessThan(0.2);
  });
});
