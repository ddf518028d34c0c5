import { DAY_MS } from './calendar.js';
import type { Rng } from './random.js';

/**
 * Earlier customers who can refer a new one, kept as typed arrays (a few
 * bytes per customer, so memory stays small at millions). Homophily: a
 * referred customer's referrer is drawn from the same segment with
 * probability SAME_SEGMENT_PROBABILITY, else from everyone; happier
 * customers refer more (an unhappy candidate is accepted less often).
 */
export const SAME_SEGMENT_PROBABILITY = 0.6;
export const ACCEPTANCE_IF_UNHAPPY = 0.4;
const ATTEMPTS = 24;

export class ReferrerPool {
  readonly segment: Uint8Array;
  readonly signupMs: Float64Array;
  readonly endMs: Float64Array;
  readonly shift: Float32Array;
  readonly platform: Uint8Array;
  readonly source: Uint8Array;
  private readonly bySegment: Int32Array[];
  private readonly segmentCounts: number[];
  private size = 0;

  constructor(customers: number, segments: number) {
    this.segment = new Uint8Array(customers);
    this.signupMs = new Float64Array(customers);
    this.endMs = new Float64Array(customers);
    this.shift = new Float32Array(customers);
    this.platform = new Uint8Array(customers);
    this.source = new Uint8Array(customers);
    this.bySegment = Array.from({ length: segments }, () => new Int32Array(customers));
    this.segmentCounts = Array.from({ length: segments }, () => 0);
  }

  add(index: number, segment: number, signupMs: number, endMs: number, shift: number, platform: number, source: number): void {
    this.segment[index] = segment;
    this.signupMs[index] = signupMs;
    this.endMs[index] = endMs;
    this.shift[index] = shift;
    this.platform[index] = platform;
    this.source[index] = source;
    const list = this.bySegment[segment];
    const n = this.segmentCounts[segment] ?? 0;
    if (list !== undefined) list[n] = index;
    this.segmentCounts[segment] = n + 1;
    this.size = Math.max(this.size, index + 1);
  }

  /** A referrer active at `atMs` who joined at least a day earlier, or -1. */
  pick(rng: Rng, segment: number | null, atMs: number): number {
    const list = segment === null ? null : this.bySegment[segment];
    const n = segment === null ? this.size : (this.segmentCounts[segment] ?? 0);
    if (n === 0) return -1;
    for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
      const slot = Math.floor(rng.float() * n);
      const candidate = list === null || list === undefined ? slot : (list[slot] ?? -1);
      if (candidate < 0) continue;
      if ((this.signupMs[candidate] ?? 0) > atMs - DAY_MS || (this.endMs[candidate] ?? 0) <= atMs) continue;
      if ((this.shift[candidate] ?? 0) <= 0 && !rng.chance(ACCEPTANCE_IF_UNHAPPY)) continue;
      return candidate;
    }
    return -1;
  }
}
