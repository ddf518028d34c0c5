import prand from 'pure-rand';
import type { RandomGenerator } from 'pure-rand';

function fmix32(value: number): number {
  let h = value | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

/** A deterministic random stream for simulation tests (xoroshiro128+ from pure-rand); never Math.random. */
export class SeededRandom {
  private readonly generator: RandomGenerator;
  private spare: number | null = null;

  constructor(seed: number) {
    // pure-rand's xoroshiro128plus(seed) puts the seed into the state nearly verbatim, so
    // the first draws of seeds 1, 2, 3 are almost equal; spread each seed over the whole
    // state with MurmurHash3's finaliser first.
    const state = [fmix32(seed ^ 0x9e3779b9), fmix32(seed + 0x7f4a7c15), fmix32(seed ^ 0x6a09e667), fmix32(seed + 0xbb67ae85)];
    this.generator = prand.xoroshiro128plus.fromState(state);
  }

  private uint32(): number {
    return this.generator.unsafeNext() >>> 0;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  uniform(): number {
    return ((this.uint32() >>> 5) * 67_108_864 + (this.uint32() >>> 6)) / 2 ** 53;
  }

  /** A uniform unsigned 64-bit integer, standing in for SQL's hash(). */
  uint64(): bigint {
    return (BigInt(this.uint32()) << 32n) | BigInt(this.uint32());
  }

  bernoulli(p: number): number {
    return this.uniform() < p ? 1 : 0;
  }

  /** Standard normal by Box–Muller. */
  normal(): number {
    if (this.spare !== null) {
      const value = this.spare;
      this.spare = null;
      return value;
    }
    const u = 1 - this.uniform();
    const v = this.uniform();
    const radius = Math.sqrt(-2 * Math.log(u));
    this.spare = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  }

  /** An index drawn with the given probabilities (summing to 1). */
  categorical(probabilities: readonly number[]): number {
    const u = this.uniform();
    let cumulative = 0;
    for (let i = 0; i < probabilities.length; i += 1) {
      cumulative += probabilities[i] ?? 0;
      if (u < cumulative) return i;
    }
    return probabilities.length - 1;
  }
}

/** The replicate seeds every simulation test uses: fixed, listed, reproducible. */
export function seedList(count: number, base: number): number[] {
  return Array.from({ length: count }, (_, i) => base + i);
}
