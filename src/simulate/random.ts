import prand from 'pure-rand';
import type { RandomGenerator } from 'pure-rand';

const TWO_POW_32 = 0x1_0000_0000;
const TWO_POW_53 = 2 ** 53;

// MurmurHash3's finaliser: spreads a seed's bits over all 32 bits, so nearby
// seeds (1, 2, 3) start far apart in xoroshiro128+'s state space.
export function fmix32(value: number): number {
  let h = value | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A seeded random stream (xoroshiro128+ from pure-rand, mutated in place for
 * speed). Never `Math.random`: every file the simulator writes is a pure
 * function of the seed.
 */
export class Rng {
  private spare: number | null = null;

  private constructor(private readonly generator: RandomGenerator) {}

  /** A stream for a non-negative safe-integer seed (all 53 bits count). */
  static fromSeed(seed: number): Rng {
    const low = seed % TWO_POW_32;
    const high = Math.floor(seed / TWO_POW_32);
    const state: number[] = [fmix32(low ^ 0x9e3779b9), fmix32(high ^ 0x7f4a7c15), fmix32(low + 0x6a09e667), fmix32(high + 0xbb67ae85)];
    if (!state.some((word) => word !== 0)) state[0] = 1;
    return new Rng(prand.xoroshiro128plus.fromState(state));
  }

  /** An independent stream 2^64 draws away (xoroshiro's jump), for a separate concern. */
  fork(): Rng {
    const jumped = this.generator.jump?.();
    if (jumped === undefined) throw new Error('xoroshiro128plus always supports jump');
    // Advance this stream too, so successive forks differ.
    this.generator.unsafeJump?.();
    return new Rng(jumped);
  }

  uint32(): number {
    return this.generator.unsafeNext() >>> 0;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  float(): number {
    const high = this.generator.unsafeNext() >>> 5; // 27 bits
    const low = this.generator.unsafeNext() >>> 6; // 26 bits
    return (high * 67_108_864 + low) / TWO_POW_53;
  }

  /** Integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.float() < probability;
  }

  /** Standard normal (Box-Muller, second value kept for the next call). */
  normal(): number {
    if (this.spare !== null) {
      const value = this.spare;
      this.spare = null;
      return value;
    }
    let u = this.float();
    while (u <= Number.MIN_VALUE) u = this.float();
    const v = this.float();
    const radius = Math.sqrt(-2 * Math.log(u));
    this.spare = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  }

  /** Log-normal with the given arithmetic mean and log-scale sigma. */
  logNormal(mean: number, sigma: number): number {
    return mean * Math.exp(sigma * this.normal() - (sigma * sigma) / 2);
  }

  /** Poisson by inversion: one uniform for the usual small rates. */
  poisson(rate: number): number {
    if (rate <= 0) return 0;
    if (rate > 30) return Math.max(0, Math.round(rate + Math.sqrt(rate) * this.normal()));
    const u = this.float();
    let k = 0;
    let p = Math.exp(-rate);
    let cumulative = p;
    while (u >= cumulative && k < 200) {
      k += 1;
      p *= rate / k;
      cumulative += p;
    }
    return k;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.float() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }

  /** Index drawn with probability proportional to its weight. */
  weighted(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    let target = this.float() * total;
    for (let i = 0; i < weights.length; i += 1) {
      target -= weights[i] ?? 0;
      if (target < 0) return i;
    }
    return weights.length - 1;
  }

  /** Letters and digits, as in Stripe and Qualtrics ids. */
  alnum(length: number): string {
    let out = '';
    for (let i = 0; i < length; i += 1) out += ALNUM[this.uint32() % 62];
    return out;
  }

  digits(length: number): string {
    let out = '';
    for (let i = 0; i < length; i += 1) out += String(this.uint32() % 10);
    return out;
  }
}
